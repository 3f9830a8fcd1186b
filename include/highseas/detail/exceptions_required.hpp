/// @file
/// Internal: stops a build without C++ exceptions with a clear message.
///
/// A Storage reports a broken database by throwing StorageError, PublicPool
/// rolls a command back by unwinding, and results throw on misuse; none of it
/// works under -fno-exceptions, which HighSeas does not support. The headers
/// that throw include this one before anything of theirs fails to compile.
#pragma once

#if !defined(__cpp_exceptions) && !defined(__EXCEPTIONS)
#error \
    "HighSeas needs C++ exceptions (it reports broken storage by throwing); -fno-exceptions is not supported"
#endif
