/* SPDX-License-Identifier: MIT */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int read_bytes(const char *name, const void *buf, size_t len, const fw_read_options *opt,
               fw_image **img, fw_diag **d)
{
    *d = fw_diag_new();
    assert_non_null(*d);
    return fw_read_memory(buf, len, name, opt, img, *d);
}

int read_text(const char *name, const char *text, fw_image **img, fw_diag **d)
{
    return read_bytes(name, text, strlen(text), NULL, img, d);
}

fw_image *must_read(const char *path, const fw_read_options *opt)
{
    fw_image *img = NULL;
    fw_diag *d = fw_diag_new();
    int rc = fw_read_file(path, opt, &img, d);
    if (rc)
        fail_msg("%s: %s", path, fw_diag_count(d) ? fw_diag_at(d, 0)->message : fw_strerror(rc));
    fw_diag_free(d);
    return img;
}

const fw_diagnostic *first_of(const fw_diag *d, fw_severity sev)
{
    for (size_t i = 0; i < fw_diag_count(d); i++)
        if (fw_diag_at(d, i)->severity == sev)
            return fw_diag_at(d, i);
    return NULL;
}

const fw_diagnostic *find_rule(const fw_diag *d, const char *rule)
{
    for (size_t i = 0; i < fw_diag_count(d); i++)
        if (fw_diag_at(d, i)->rule && !strcmp(fw_diag_at(d, i)->rule, rule))
            return fw_diag_at(d, i);
    return NULL;
}

void expect_error_at(const fw_diag *d, const char *rule, uint64_t line, uint32_t column, const char *needle)
{
    const fw_diagnostic *e = first_of(d, FW_ERROR);
    if (!e)
        fail_msg("no error reported (expected '%s')", needle);
    if (strcmp(e->rule, rule) || e->loc.line != line || (column && e->loc.column != column) ||
        !strstr(e->message, needle))
        fail_msg("expected %s at %llu:%u containing '%s', got %s at %llu:%u: %s", rule,
                 (unsigned long long)line, column, needle, e->rule, (unsigned long long)e->loc.line,
                 e->loc.column, e->message);
}

fw_image *roundtrip(const fw_image *img, const fw_write_options *opt, char **text, size_t *len)
{
    char path[] = "/tmp/fwkit-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fw_diag *d = fw_diag_new();
    int rc = fw_write_fd(img, fd, path, opt, d);
    if (rc)
        fail_msg("write failed: %s", fw_diag_count(d) ? fw_diag_at(d, 0)->message : fw_strerror(rc));
    close(fd);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = 0;
    fclose(f);
    unlink(path);
    fw_read_options ro = {0};
    uint64_t lo;
    if (opt->format == FW_FMT_BIN && fw_image_span(img, &lo, NULL)) {
        ro.has_base = true;
        ro.base = lo;
        ro.format = FW_FMT_BIN;
    }
    fw_image *back = NULL;
    fw_diag_free(d);
    d = fw_diag_new();
    rc = fw_read_memory(buf, (size_t)n, "roundtrip", &ro, &back, d);
    if (rc)
        fail_msg("read back failed: %s", fw_diag_count(d) ? fw_diag_at(d, 0)->message : fw_strerror(rc));
    fw_diag_free(d);
    if (text) {
        *text = buf;
        *len = (size_t)n;
    } else {
        free(buf);
    }
    return back;
}

fw_image *random_image(unsigned seed, size_t nchunks, size_t maxlen, uint64_t base, uint64_t span)
{
    /* chunks laid out in address order with random gaps (so none overlap),
     * then added in a shuffled order so that sorting is exercised */
    uint64_t *addr = malloc(nchunks * sizeof(*addr));
    size_t *len = malloc(nchunks * sizeof(*len));
    size_t *order = malloc(nchunks * sizeof(*order));
    uint8_t *buf = malloc(maxlen);
    assert_true(addr && len && order && buf);
    srand(seed);
    uint64_t room = span / nchunks;
    assert_true(room > maxlen);
    for (size_t i = 0; i < nchunks; i++) {
        len[i] = 1 + (size_t)rand() % maxlen;
        addr[i] = base + i * room + 1 + (uint64_t)rand() % (room - len[i]);
        order[i] = i;
    }
    for (size_t i = nchunks; i > 1; i--) {
        size_t j = (size_t)rand() % i, t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    fw_image *img = fw_image_new();
    int src = fw_image_source(img, "random", NULL);
    for (size_t i = 0; i < nchunks; i++) {
        size_t k = order[i];
        for (size_t b = 0; b < len[k]; b++)
            buf[b] = (uint8_t)rand();
        assert_int_equal(fw_image_add(img, addr[k], buf, len[k], src, k, 0), FW_OK);
    }
    assert_int_equal(fw_image_finish(img, NULL), FW_OK);
    free(addr);
    free(len);
    free(order);
    free(buf);
    return img;
}

const char *corpus_path(const char *name)
{
    static char path[4096];
    const char *shared = getenv("SHARED");
    snprintf(path, sizeof(path), "%s/corpus/files/%s", shared ? shared : "../shared", name);
    return access(path, R_OK) == 0 ? path : NULL;
}

fw_target_db *builtin_db(void)
{
    fw_diag *d = fw_diag_new();
    fw_target_db *db = fw_target_db_new();
    if (db && fw_target_db_add_builtin(db, d)) {
        fw_target_db_free(db);
        db = NULL;
    }
    fw_diag_free(d);
    return db;
}
