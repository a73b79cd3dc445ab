# Compiler warnings and sanitizers, applied to every project target through phaze_options.
add_library(phaze_options INTERFACE)
target_compile_options(phaze_options INTERFACE -Wall -Wextra -Wpedantic)
if(PHAZE_WARNINGS_AS_ERRORS)
    target_compile_options(phaze_options INTERFACE -Werror)
endif()
if(PHAZE_SANITIZE)
    if(PHAZE_SANITIZE STREQUAL "ON" OR PHAZE_SANITIZE STREQUAL "address+undefined")
        set(PHAZE_SANITIZE "address,undefined")
    endif()
    target_compile_options(phaze_options INTERFACE -fsanitize=${PHAZE_SANITIZE} -fno-omit-frame-pointer)
    if(PHAZE_SANITIZE MATCHES "undefined")
        target_compile_options(phaze_options INTERFACE -fno-sanitize-recover=undefined)
    endif()
    target_link_options(phaze_options INTERFACE -fsanitize=${PHAZE_SANITIZE})
endif()

# Qt strictness for the Qt targets only (the widget and window libraries, the workbench and the
# tests; the engine and the CLI have no Qt): no implicit const char * -> QString, and no
# connect() to a functor without a context object, which Qt enforces from 6.7 on (conventions.md
# rule 19).
add_library(phaze_qt_options INTERFACE)
target_compile_definitions(phaze_qt_options INTERFACE QT_NO_CAST_FROM_ASCII QT_NO_CONTEXTLESS_CONNECT)

# libFuzzer targets (tests/fuzz, docs/fuzzing.md): everything is instrumented for coverage and
# built with AddressSanitizer + UBSan; only the fuzz_* executables link libFuzzer itself.
option(PHAZE_FUZZ "Build the libFuzzer targets in tests/fuzz (needs clang)" OFF)
if(PHAZE_FUZZ AND NOT BUILD_TESTING)
    message(FATAL_ERROR "PHAZE_FUZZ builds tests/fuzz: it needs BUILD_TESTING=ON")
endif()
if(PHAZE_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "PHAZE_FUZZ needs clang (e.g. -DCMAKE_CXX_COMPILER=clang++)")
    endif()
    if(PHAZE_SANITIZE)
        message(FATAL_ERROR "PHAZE_FUZZ already builds with address,undefined; unset PHAZE_SANITIZE")
    endif()
    target_compile_options(phaze_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                                                   -fno-sanitize-recover=undefined
                                                   -fno-omit-frame-pointer)
    target_link_options(phaze_options INTERFACE -fsanitize=address,undefined)
endif()
