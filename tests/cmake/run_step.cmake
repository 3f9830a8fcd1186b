# run_step(<command> <args>...): runs one step of a packaging test script
# (cmake -P) and stops the test with the command line if it fails.
function(run_step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "step failed (${status}): ${ARGN}")
  endif()
endfunction()
