# rzlibConfig.cmake -- find_package(rzlib) for an installed rzlib: the
# imported target rzlib::rzlib (rz_ names, headers from <rzlib.h>).
#
# Installed in <prefix>/share/cmake/rzlib/ by `make install` and by
# `cargo cinstall`, so it finds the rest from its own place: the headers in
# <prefix>/include/rzlib/, the library in <prefix>/lib or a multiarch or
# lib64 directory under it. The shared library is used when present, the
# static one otherwise, or when RZLIB_USE_STATIC_LIBS is ON.

cmake_minimum_required(VERSION 3.10)

get_filename_component(_rzlib_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

find_path(RZLIB_INCLUDE_DIR rzlib.h
    PATHS "${_rzlib_prefix}/include/rzlib" NO_DEFAULT_PATH)

set(_rzlib_libdirs "${_rzlib_prefix}/lib" "${_rzlib_prefix}/lib64")
if(CMAKE_LIBRARY_ARCHITECTURE)
    list(INSERT _rzlib_libdirs 0 "${_rzlib_prefix}/lib/${CMAKE_LIBRARY_ARCHITECTURE}")
endif()
if(RZLIB_USE_STATIC_LIBS)
    set(_rzlib_names librzlib.a)
else()
    set(_rzlib_names rzlib)
endif()
find_library(RZLIB_LIBRARY NAMES ${_rzlib_names} PATHS ${_rzlib_libdirs} NO_DEFAULT_PATH)

if(NOT RZLIB_INCLUDE_DIR OR NOT RZLIB_LIBRARY)
    # find_package reports this message and treats rzlib as not found.
    set(_rzlib_missing TRUE)
    set(rzlib_FOUND FALSE)
    set(rzlib_NOT_FOUND_MESSAGE
        "rzlibConfig.cmake in ${CMAKE_CURRENT_LIST_DIR} found no rzlib.h or librzlib under ${_rzlib_prefix}")
endif()

if(NOT _rzlib_missing AND NOT TARGET rzlib::rzlib)
    if(RZLIB_LIBRARY MATCHES "\\.a$")
        add_library(rzlib::rzlib STATIC IMPORTED)
        # What the Rust standard library needs from the system (rzlib.pc's
        # Libs.private).
        find_package(Threads REQUIRED)
        set_property(TARGET rzlib::rzlib PROPERTY
            INTERFACE_LINK_LIBRARIES Threads::Threads ${CMAKE_DL_LIBS} m)
    else()
        add_library(rzlib::rzlib SHARED IMPORTED)
    endif()
    set_target_properties(rzlib::rzlib PROPERTIES
        IMPORTED_LOCATION "${RZLIB_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${RZLIB_INCLUDE_DIR}")
endif()

unset(_rzlib_prefix)
unset(_rzlib_libdirs)
unset(_rzlib_names)
unset(_rzlib_missing)
