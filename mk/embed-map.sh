#!/bin/sh
# SPDX-License-Identifier: MIT
# A target map as a C string named $1 (and $1_len), comments and blank
# lines dropped: the library's built-in databases.
set -e
name=$1
map=$2
echo '#include <stddef.h>'
echo "extern const char ${name}[]; extern const size_t ${name}_len;"
echo "const char ${name}[] ="
sed -e '/^#/d' -e '/^$/d' -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$map"
echo ';'
echo "const size_t ${name}_len = sizeof(${name}) - 1;"
