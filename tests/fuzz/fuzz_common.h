/* SPDX-License-Identifier: MIT */
/* One libFuzzer body for every reader: read the input as FUZZ_FORMAT; when
 * it reads, write it in each format and read that back, which must give the
 * same image (a differential check of reader against writer). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fwkit/format.h"

static fw_image *write_and_read(const fw_image *img, fw_format f)
{
    int fd = memfd_create("fuzz", 0);
    if (fd < 0)
        abort();
    fw_write_options o;
    fw_write_options_init(&o);
    o.format = f;
    o.max_gap = 1 << 20;
    fw_image *back = NULL;
    if (fw_write_fd(img, fd, "fuzz-out", &o, NULL) == FW_OK) {
        off_t n = lseek(fd, 0, SEEK_END);
        uint8_t *buf = malloc((size_t)n + 1);
        if (pread(fd, buf, (size_t)n, 0) != n)
            abort();
        uint64_t lo = 0;
        fw_image_span(img, &lo, NULL);
        fw_read_options ro = {.format = f, .has_base = true, .base = lo};
        if (fw_read_memory(buf, (size_t)n, "fuzz-out", &ro, &back, NULL) != FW_OK)
            abort(); /* we cannot read what we wrote */
        free(buf);
    }
    close(fd);
    return back;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fw_read_options opt = {.format = FUZZ_FORMAT, .has_base = FUZZ_FORMAT == FW_FMT_BIN, .base = 0x08000000};
    fw_diag *d = fw_diag_new();
    fw_image *img = NULL;
    if (fw_read_memory(data, size, "fuzz-in", &opt, &img, d) == FW_OK) {
        for (size_t i = 0; i < fw_diag_count(d); i++)
            if (!fw_diag_at(d, i)->message)
                abort();
        static const fw_format outs[] = {FW_FMT_IHEX, FW_FMT_SREC, FW_FMT_BIN};
        for (size_t k = 0; k < 3; k++) {
            fw_image *back = write_and_read(img, outs[k]);
            if (back && outs[k] != FW_FMT_BIN && fw_image_compare(img, back, NULL))
                abort(); /* a text round trip changed the data */
            if (back && outs[k] == FW_FMT_BIN && fw_image_data_size(back) < fw_image_data_size(img))
                abort();
            fw_image_free(back);
        }
        uint64_t lo;
        if (fw_image_span(img, &lo, NULL) && fw_image_chunk_count(img))
            fw_image_origin_at(img, lo, &(fw_origin){0});
        fw_image_free(img);
    } else if (img) {
        abort(); /* failure must not hand out an image */
    }
    fw_diag_free(d);
    return 0;
}
