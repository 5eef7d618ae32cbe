# SPDX-License-Identifier: MIT
# fwkit_lint's post-build step (cmake -P): fwlint prints GCC-style lines to
# the build log; on an error the image is removed so that it is not taken as
# built; with SARIF the same findings also go to that file for code scanning.
string(REPLACE "|" ";" args "${FWLINT_ARGS}")
if(SARIF)
    execute_process(COMMAND "${FWLINT}" ${args} --format sarif -o "${SARIF}" "${IMAGE}" -q
                    RESULT_VARIABLE sarif_rc)
    if(sarif_rc GREATER 1)
        message(FATAL_ERROR "fwlint could not write ${SARIF} (exit ${sarif_rc})")
    endif()
endif()
execute_process(COMMAND "${FWLINT}" ${args} "${IMAGE}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    file(REMOVE "${IMAGE}")
    message(FATAL_ERROR "fwlint found errors in ${IMAGE} (exit ${rc}); the image was removed")
endif()
