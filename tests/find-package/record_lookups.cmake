# Set as CMAKE_PROJECT_TOP_LEVEL_INCLUDES: records the name of every
# find_package call (the consumer's own and the ones HighSeas's config makes),
# then lets CMake's built-in find_package do the work.
function(highseas_record_lookup method package_name)
  set_property(GLOBAL APPEND PROPERTY HIGHSEAS_CONSUMER_LOOKUPS ${package_name})
endfunction()
cmake_language(SET_DEPENDENCY_PROVIDER highseas_record_lookup SUPPORTED_METHODS FIND_PACKAGE)
