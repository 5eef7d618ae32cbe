/* SPDX-License-Identifier: MIT */
/* The per-format readers and writers behind fw_read_* and fw_write_*. */
#ifndef FWKIT_FORMAT_FORMATS_H
#define FWKIT_FORMAT_FORMATS_H

#include <stdarg.h>
#include <stdio.h>

#include "fwkit/format.h"
#include "io.h"

int fw_ihex_read(struct fw_input *in, fw_image *img, const fw_read_options *opt, fw_diag *d);
int fw_srec_read(struct fw_input *in, fw_image *img, const fw_read_options *opt, fw_diag *d);
int fw_bin_read(struct fw_input *in, fw_image *img, const fw_read_options *opt, fw_diag *d);
int fw_elf_read(struct fw_input *in, fw_image *img, const fw_read_options *opt, fw_diag *d);
int fw_uf2_read(struct fw_input *in, fw_image *img, const fw_read_options *opt, fw_diag *d);

/* Checks run before the output file is created, so a refusal leaves nothing. */
int fw_ihex_check(const fw_image *img, const fw_write_options *opt, const char *name, fw_diag *d);
int fw_srec_check(const fw_image *img, const fw_write_options *opt, const char *name, fw_diag *d);
/* Leaves out a valid USB DFU suffix at the end of a raw binary, with a note. */
int fw_bin_strip_dfu_suffix(fw_image *img, const char *name, fw_diag *d);
int fw_bin_check(const fw_image *img, const fw_write_options *opt, const char *name, fw_diag *d);

int fw_ihex_write(const fw_image *img, struct fw_output *o, const fw_write_options *opt);
int fw_srec_write(const fw_image *img, struct fw_output *o, const fw_write_options *opt);
int fw_bin_write(const fw_image *img, struct fw_output *o, const fw_write_options *opt);
int fw_uf2_check(const fw_image *img, const fw_write_options *opt, const char *name, fw_diag *d);
int fw_uf2_write(const fw_image *img, struct fw_output *o, const fw_write_options *opt);
int fw_carray_write(const fw_image *img, struct fw_output *o, const fw_write_options *opt);
int fw_vmem_write(const fw_image *img, struct fw_output *o, const fw_write_options *opt);

#endif
