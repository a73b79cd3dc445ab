# The build tree's programs find their resources the way installed ones do, at
# <exe dir>/../share/phaze-workbench (core/io/resourcepaths.cpp; the executables live in
# build/app, build/tests and build/benchmarks). So the build mirrors the installed layout of
# packaging/CMakeLists.txt in <build>/share/phaze-workbench, with links into the source tree:
# edits to resources/ and examples/ show at once, and no source path is compiled into a binary.
set(PHAZE_BUILD_SHARE_DIR ${PROJECT_BINARY_DIR}/share/phaze-workbench)
file(MAKE_DIRECTORY ${PHAZE_BUILD_SHARE_DIR})
foreach(pair "resources/default-project.yaml|default-project.yaml"
             "resources/technology|technology"
             "examples|examples")
    string(REPLACE "|" ";" pair "${pair}")
    list(GET pair 0 from)
    list(GET pair 1 to)
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${from} ${PHAZE_BUILD_SHARE_DIR}/${to}
         RESULT link_result SYMBOLIC)
    if(NOT link_result EQUAL 0)
        message(FATAL_ERROR "cannot link ${PHAZE_BUILD_SHARE_DIR}/${to} -> "
                            "${PROJECT_SOURCE_DIR}/${from}: ${link_result}")
    endif()
endforeach()
