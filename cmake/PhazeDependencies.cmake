# System packages only (Debian): nothing is downloaded at build time.

# GLPK ships neither a CMake config nor a pkg-config file.
find_path(GLPK_INCLUDE_DIR glpk.h REQUIRED)
find_library(GLPK_LIBRARY glpk REQUIRED)
add_library(phaze_glpk UNKNOWN IMPORTED)
set_target_properties(phaze_glpk PROPERTIES IMPORTED_LOCATION "${GLPK_LIBRARY}"
                                            INTERFACE_INCLUDE_DIRECTORIES "${GLPK_INCLUDE_DIR}")

find_package(yaml-cpp REQUIRED)
if(TARGET yaml-cpp AND NOT TARGET yaml-cpp::yaml-cpp)
    add_library(yaml-cpp::yaml-cpp ALIAS yaml-cpp)
endif()

# Header-only JSON library (Debian nlohmann-json3-dev); core never links anything for it.
find_package(nlohmann_json 3.10 REQUIRED)

# Qt: the workbench needs Widgets; the tests (engine tests included) use Qt Test. The engine and
# the CLI link no Qt, so a build without both (-DPHAZE_BUILD_GUI=OFF -DBUILD_TESTING=OFF) looks
# for none.
set(PHAZE_QT_COMPONENTS "")
if(PHAZE_BUILD_GUI)
    list(APPEND PHAZE_QT_COMPONENTS Core Widgets Concurrent PrintSupport Svg)
endif()
if(BUILD_TESTING)
    list(APPEND PHAZE_QT_COMPONENTS Core Test)
endif()
if(PHAZE_QT_COMPONENTS)
    list(REMOVE_DUPLICATES PHAZE_QT_COMPONENTS)
    find_package(Qt6 6.4 REQUIRED COMPONENTS ${PHAZE_QT_COMPONENTS})
endif()
if(PHAZE_BUILD_GUI)
    find_package(QCustomPlotQt6 REQUIRED)
endif()

find_package(benchmark QUIET)
