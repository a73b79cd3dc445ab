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
    target_compile_options(phaze_options INTERFACE -fsanitize=${PHAZE_SANITIZE} -fno-omit-frame-pointer
                                                   -fno-sanitize-recover=undefined)
    target_link_options(phaze_options INTERFACE -fsanitize=${PHAZE_SANITIZE})
endif()
