/* SPDX-License-Identifier: MIT */
/* Reading any input: open, detect the format from the content, dispatch. */
#include "formats.h"

#include <string.h>

#define SNIFF_BYTES 4096

const char *fw_format_name(fw_format f)
{
    switch (f) {
    case FW_FMT_ELF: return "elf";
    case FW_FMT_IHEX: return "ihex";
    case FW_FMT_SREC: return "srec";
    case FW_FMT_BIN: return "bin";
    case FW_FMT_UF2: return "uf2";
    case FW_FMT_C: return "c";
    case FW_FMT_VMEM: return "vmem";
    default: return "unknown";
    }
}

const char *fw_format_description(fw_format f)
{
    switch (f) {
    case FW_FMT_ELF: return "ELF";
    case FW_FMT_IHEX: return "Intel HEX";
    case FW_FMT_SREC: return "Motorola S-record";
    case FW_FMT_BIN: return "raw binary";
    case FW_FMT_UF2: return "UF2";
    case FW_FMT_C: return "C array";
    case FW_FMT_VMEM: return "Verilog $readmemh";
    default: return "unknown";
    }
}

static const struct {
    const char *name;
    fw_format f;
} format_names[] = {
    {"elf", FW_FMT_ELF},   {"axf", FW_FMT_ELF},     {"out", FW_FMT_ELF},   {"ihex", FW_FMT_IHEX},
    {"hex", FW_FMT_IHEX},  {"ihx", FW_FMT_IHEX},    {"h86", FW_FMT_IHEX},  {"srec", FW_FMT_SREC},
    {"s19", FW_FMT_SREC},  {"s28", FW_FMT_SREC},    {"s37", FW_FMT_SREC},  {"mot", FW_FMT_SREC},
    {"s", FW_FMT_SREC},    {"motorola", FW_FMT_SREC}, {"bin", FW_FMT_BIN}, {"binary", FW_FMT_BIN},
    {"raw", FW_FMT_BIN}, {"uf2", FW_FMT_UF2}, {"c", FW_FMT_C}, {"vmem", FW_FMT_VMEM}, {"mem", FW_FMT_VMEM},
};

fw_format fw_format_parse(const char *name)
{
    for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
        if (!strcasecmp(name, format_names[i].name))
            return format_names[i].f;
    return FW_FMT_UNKNOWN;
}

fw_format fw_format_from_extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char tmp[256];
    snprintf(tmp, sizeof(tmp), "%s", base);
    size_t n = strlen(tmp);
    if (n > 3 && !strcasecmp(tmp + n - 3, ".gz"))
        tmp[n - 3] = 0;
    const char *dot = strrchr(tmp, '.');
    return dot ? fw_format_parse(dot + 1) : FW_FMT_UNKNOWN;
}

static bool is_text_byte(uint8_t c)
{
    return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v';
}

/* What the content is; for text that no reader takes, explains in why. */
static fw_format detect(const uint8_t *p, size_t n, char *why, size_t whylen)
{
    if (n >= 4 && !memcmp(p, "\x7f" "ELF", 4))
        return FW_FMT_ELF;
    if (n >= 8 && !memcmp(p, "UF2\n\x57\x51\x5d\x9e", 8))
        return FW_FMT_UF2;
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        snprintf(why, whylen, "UTF-16 text (as a Windows PowerShell redirect writes); save it as ASCII");
        return FW_FMT_UNKNOWN;
    }
    size_t i = 0;
    if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        i = 3;
    size_t text = i;
    while (text < n && is_text_byte(p[text]))
        text++;
    /* the first significant line, skipping blank and '#' comment lines */
    for (;;) {
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
            i++;
        if (i < n && p[i] == '#' && text == n) {
            while (i < n && p[i] != '\n')
                i++;
            continue;
        }
        break;
    }
    if (i < n && text > i) {
        if (p[i] == ':')
            return FW_FMT_IHEX;
        if ((p[i] == 'S' || p[i] == 's') && i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '9')
            return FW_FMT_SREC;
    }
    if (n && text == n) {
        size_t e = i;
        while (e < n && e - i < 40 && p[e] != '\n' && p[e] != '\r')
            e++;
        char first[48];
        snprintf(first, sizeof(first), "%.*s", (int)(e - i), (const char *)p + i);
        if (i < n && p[i] == '@')
            snprintf(why, whylen,
                     "a Verilog $readmemh (or TI-TXT) memory file, not Intel HEX: it starts with '%s'; "
                     "make Intel HEX with objcopy -O ihex",
                     first);
        else
            snprintf(why, whylen, "text that is not Intel HEX or S-record (it starts with '%s')", first);
        return FW_FMT_UNKNOWN;
    }
    return FW_FMT_BIN;
}

/* Detects the input's format, reads it into img (which may hold data) and
 * finishes img. */
static int read_into(struct fw_input *in, const fw_read_options *opt, fw_image *img, fw_diag *d);

static int read_input(struct fw_input *in, const fw_read_options *opt, fw_image **out, fw_diag *d)
{
    fw_image *img = fw_image_new();
    *out = NULL;
    if (!img)
        return FW_ENOMEM;
    int rc = read_into(in, opt, img, d);
    if (rc) {
        fw_image_free(img);
        return rc;
    }
    *out = img;
    return FW_OK;
}

static int read_into(struct fw_input *in, const fw_read_options *opt, fw_image *img, fw_diag *d)
{
    fw_read_options none = {0};
    if (!opt)
        opt = &none;
    const uint8_t *p;
    size_t n;
    int rc = fw_input_peek(in, SNIFF_BYTES, &p, &n, d);
    if (rc)
        return rc;
    fw_format f = opt->format;
    if (f == FW_FMT_UNKNOWN) {
        char why[256] = "";
        f = detect(p, n, why, sizeof(why));
        if (f == FW_FMT_UNKNOWN) {
            fw_location loc = {.file = in->name};
            fw_diag_add(d, FW_ERROR, "FMT-KIND-MISMATCH", &loc, "not a firmware image: this looks like %s", why);
            return FW_EUNSUPPORTED;
        }
    }
    fw_image_set_format(img, f);
    switch (f) {
    case FW_FMT_ELF: rc = fw_elf_read(in, img, opt, d); break;
    case FW_FMT_IHEX: rc = fw_ihex_read(in, img, opt, d); break;
    case FW_FMT_SREC: rc = fw_srec_read(in, img, opt, d); break;
    case FW_FMT_UF2: rc = fw_uf2_read(in, img, opt, d); break;
    case FW_FMT_C:
    case FW_FMT_VMEM: {
        fw_location loc = {.file = in->name};
        fw_diag_add(d, FW_ERROR, "FMT-KIND-MISMATCH", &loc, "%s is an output format only", fw_format_description(f));
        rc = FW_EUNSUPPORTED;
        break;
    }
    default: rc = fw_bin_read(in, img, opt, d); break;
    }
    if (rc == FW_OK)
        rc = fw_image_finish(img, d);
    if (rc == FW_OK && fw_image_format(img) == FW_FMT_BIN)
        rc = fw_bin_strip_dfu_suffix(img, in->name, d);
    return rc;
}

static bool gzip_failed(const fw_diag *d)
{
    for (size_t i = 0; i < fw_diag_count(d); i++)
        if (fw_diag_at(d, i)->rule && !strcmp(fw_diag_at(d, i)->rule, "FMT-GZIP"))
            return true;
    return false;
}

static bool named_gzip(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return (n > 3 && !strcasecmp(name + n - 3, ".gz")) || (n > 4 && !strcasecmp(name + n - 4, ".tgz"));
}

/* Opens the input (a file when path is set, else memory) and reads it. Data
 * that starts with the gzip signature but does not decode as gzip (a raw
 * binary whose first bytes happen to be 1F 8B) is read again as it is, when
 * the input can be read twice and its name does not claim gzip (a truncated
 * .gz stays an error). */
static int read_any(const char *path, const void *buf, size_t len, const char *name, const fw_read_options *opt,
                    fw_image **out, fw_diag *d)
{
    fw_diag *first = fw_diag_new();
    if (!first)
        return FW_ENOMEM;
    int rc = FW_OK;
    *out = NULL;
    for (int attempt = 0; attempt < 2; attempt++) {
        fw_diag *sink = attempt == 0 ? first : d;
        bool gunzip = attempt == 0;
        struct fw_input in;
        if (path) {
            rc = fw_input_open_file(&in, path, gunzip, sink);
        } else {
            fw_input_open_memory(&in, buf, len, name);
            in.no_gzip = !gunzip;
            rc = fw_input_start(&in, sink);
        }
        bool retry_raw = false;
        if (rc == FW_OK) {
            rc = read_input(&in, opt, out, sink);
            retry_raw = rc != FW_OK && in.gz && in.regular && gzip_failed(first) && !named_gzip(path ? path : name);
        }
        fw_input_close(&in);
        if (attempt == 0 && retry_raw) {
            fw_location loc = {.file = path ? path : name};
            fw_diag_add(d, FW_NOTE, "FMT-GZIP", &loc, "starts with the gzip signature but is not gzip data; read as it is");
            continue;
        }
        if (attempt == 0)
            fw_diag_append(d, first);
        break;
    }
    fw_diag_free(first);
    return rc;
}

int fw_read_file_into(const char *path, const fw_read_options *opt, fw_image *img, fw_start *start, fw_diag *d)
{
    struct fw_input in;
    fw_start kept = *fw_image_start(img);
    fw_format format = fw_image_format(img);
    fw_image_set_start(img, &(fw_start){0});
    int rc = fw_input_open_file(&in, path, true, d);
    if (rc == FW_OK)
        rc = read_into(&in, opt, img, d);
    fw_input_close(&in);
    *start = *fw_image_start(img);
    fw_image_set_start(img, &kept);
    fw_image_set_format(img, format);
    return rc;
}

int fw_read_file(const char *path, const fw_read_options *opt, fw_image **out, fw_diag *d)
{
    return read_any(path, NULL, 0, NULL, opt, out, d);
}

int fw_read_memory(const void *buf, size_t len, const char *name, const fw_read_options *opt,
                   fw_image **out, fw_diag *d)
{
    return read_any(NULL, buf, len, name, opt, out, d);
}
