/* SPDX-License-Identifier: MIT */
/* ELF through elfutils libelf. Data comes from PT_LOAD segments with
 * p_filesz > 0 at their physical address (LMA), as a flash loader sees them;
 * only when every such segment has physical address 0 are virtual addresses
 * used (OpenOCD's rule). Section headers are kept as metadata. */
#include "formats.h"
#include "fwkit/bytes.h"
#include "../image_internal.h"

#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

struct elf_src {
    struct fw_input *in;
    const uint8_t *mem; /* whole file in memory, or NULL to pread from in->fd */
    size_t size;
    bool may_map;       /* big segments may stay mapped from in->fd */
    bool whole;         /* keep the padding between sections (--whole-segments) */
};

/* Segments this big are mapped rather than read: 16 MiB of ELF becomes a
 * binary in half the time. Below it the copy costs microseconds. */
#define MAP_SEGMENTS_FROM (64u * 1024)

static int elf_fail(fw_diag *d, const char *name, const char *what)
{
    fw_location loc = {.file = name};
    fw_diag_add(d, FW_ERROR, "FMT-ELF", &loc, "%s: %s", what, elf_errmsg(-1));
    return FW_EFORMAT;
}

static int read_at(struct elf_src *src, uint64_t off, uint8_t *out, size_t n, fw_diag *d)
{
    if (src->mem) {
        memcpy(out, src->mem + off, n);
        return FW_OK;
    }
    size_t done = 0;
    while (done < n) {
        ssize_t r = pread(src->in->fd, out + done, n - done, (off_t)(off + done));
        if (r <= 0) {
            fw_location loc = {.file = src->in->name, .has_offset = true, .offset = off + done};
            fw_diag_add(d, FW_ERROR, "IO", &loc, "cannot read ELF segment data");
            return FW_EIO;
        }
        done += (size_t)r;
    }
    return FW_OK;
}

static void read_build_id(Elf *e, Elf_Scn *scn, fw_elf_info *info)
{
    Elf_Data *data = elf_getdata(scn, NULL);
    if (!data)
        return;
    size_t off = 0, name_off, desc_off;
    GElf_Nhdr nh;
    while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
        if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
            !memcmp((const char *)data->d_buf + name_off, "GNU", 4) && nh.n_descsz && !info->build_id) {
            info->build_id = malloc(nh.n_descsz);
            if (info->build_id) {
                memcpy(info->build_id, (const uint8_t *)data->d_buf + desc_off, nh.n_descsz);
                info->build_id_len = nh.n_descsz;
            }
        }
    }
    (void)e;
}

/* The segment that holds a section: by file offset for sections with file
 * contents, by address for NOBITS. Gives the section's load address. */
static uint64_t section_lma(const fw_elf_info *info, const GElf_Shdr *sh)
{
    for (size_t i = 0; i < info->nsegments; i++) {
        const fw_elf_segment *p = &info->segments[i];
        if (p->type != PT_LOAD)
            continue;
        if (sh->sh_type != SHT_NOBITS && sh->sh_size && sh->sh_offset >= p->offset &&
            sh->sh_offset + sh->sh_size <= p->offset + p->filesz)
            return p->paddr + (sh->sh_offset - p->offset);
        if (sh->sh_addr >= p->vaddr && sh->sh_addr + sh->sh_size <= p->vaddr + p->memsz &&
            (sh->sh_type == SHT_NOBITS || !p->filesz))
            return p->paddr + (sh->sh_addr - p->vaddr);
    }
    return sh->sh_addr;
}

static uint64_t uleb(const uint8_t **p, const uint8_t *end)
{
    uint64_t v = 0;
    unsigned shift = 0;
    while (*p < end) {
        uint8_t b = *(*p)++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7F) << shift;
        shift += 7;
        if (!(b & 0x80))
            break;
    }
    return v;
}

/* The .comment section: NUL-separated strings that name the compiler and
 * linker ("GCC: (GNU Arm Embedded Toolchain 10.3-2021.10) 10.3.1", "Linker:
 * LLD 17.0.1", armlink's "Component: ARM Compiler 5.06"), joined by "; "
 * and cut at 4 KiB, which is more than any toolchain writes. */
static char *read_comment(Elf_Scn *scn)
{
    Elf_Data *data = elf_getdata(scn, NULL);
    if (!data || !data->d_buf || !data->d_size)
        return NULL;
    size_t n = data->d_size < 4096 ? data->d_size : 4096;
    char *out = malloc(2 * n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    const char *p = data->d_buf;
    for (size_t i = 0; i < n; i++) {
        if (p[i]) {
            out[k++] = (unsigned char)p[i] >= 0x20 && (unsigned char)p[i] < 0x7f ? p[i] : '?';
        } else if (k && out[k - 1] != ' ' && i + 1 < n && p[i + 1]) {
            out[k++] = ';';
            out[k++] = ' ';
        }
    }
    out[k] = 0;
    return out;
}

/* The build attributes section: 'A', then vendor subsections (length,
 * vendor name, then File (tag 1) attribute lists of ULEB128 tag and a
 * ULEB128 or NUL-terminated value). Malformed contents are ignored. */
static void read_attributes(Elf_Scn *scn, bool riscv, fw_elf_info *info)
{
    Elf_Data *data = elf_getdata(scn, NULL);
    if (!data || data->d_size < 1 || ((const uint8_t *)data->d_buf)[0] != 'A')
        return;
    const uint8_t *p = (const uint8_t *)data->d_buf + 1, *end = (const uint8_t *)data->d_buf + data->d_size;
    while (end - p >= 4) {
        uint32_t len = fw_get_le32(p);
        if (info->big_endian)
            len = (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
        if (len < 5 || len > (size_t)(end - p))
            return;
        const uint8_t *sub_end = p + len, *vendor = p + 4;
        const uint8_t *q = memchr(vendor, 0, (size_t)(sub_end - vendor));
        if (!q)
            return;
        bool ours = riscv ? !strcmp((const char *)vendor, "riscv") : !strcmp((const char *)vendor, "aeabi");
        q++;
        while (ours && sub_end - q >= 5) {
            uint8_t tag = q[0];
            uint32_t slen = (uint32_t)q[1] | (uint32_t)q[2] << 8 | (uint32_t)q[3] << 16 | (uint32_t)q[4] << 24;
            if (info->big_endian)
                slen = (uint32_t)q[4] | (uint32_t)q[3] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 24;
            if (slen < 5 || slen > (size_t)(sub_end - q))
                break;
            const uint8_t *a = q + 5, *a_end = q + slen;
            while (tag == 1 && a < a_end) {
                uint64_t t = uleb(&a, a_end);
                bool string = riscv ? (t % 2 == 1) : (t == 4 || t == 5 || t == 67 || (t > 32 && t % 2 == 1));
                if (!riscv && t == 32) { /* Tag_compatibility: ULEB then string */
                    uleb(&a, a_end);
                    string = true;
                }
                if (string) {
                    const uint8_t *z = memchr(a, 0, (size_t)(a_end - a));
                    if (!z)
                        break;
                    if (riscv && t == 5 && !info->attributes.riscv_arch)
                        info->attributes.riscv_arch = strdup((const char *)a);
                    a = z + 1;
                    continue;
                }
                uint64_t v = uleb(&a, a_end);
                int iv = v > 0x7FFFFFFF ? 0x7FFFFFFF : (int)v;
                if (riscv)
                    continue;
                switch (t) {
                case 6: info->attributes.cpu_arch = iv; break;
                case 7: info->attributes.cpu_arch_profile = iv; break;
                case 8: info->attributes.arm_isa_use = iv; break;
                case 9: info->attributes.thumb_isa_use = iv; break;
                case 10: info->attributes.fp_arch = iv; break;
                case 27: info->attributes.abi_hardfp_use = iv; break;
                case 28: info->attributes.abi_vfp_args = iv; break;
                case 46: info->attributes.dsp_extension = iv; break;
                default: break;
                }
            }
            q += slen;
        }
        p = sub_end;
    }
}

static int read_symbols(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, fw_elf_info *info)
{
    Elf_Data *data = elf_getdata(scn, NULL);
    if (!data || !sh->sh_entsize)
        return FW_OK;
    size_t n = sh->sh_size / sh->sh_entsize;
    fw_elf_symbol *syms = realloc(info->symbols, (info->nsymbols + n) * sizeof(*syms));
    if (!syms && n)
        return FW_ENOMEM;
    info->symbols = syms;
    for (size_t i = 1; i < n; i++) {
        GElf_Sym sym;
        if (!gelf_getsym(data, (int)i, &sym))
            break;
        const char *nm = elf_strptr(e, sh->sh_link, sym.st_name);
        if (!nm || !*nm)
            continue;
        fw_elf_symbol *s = &info->symbols[info->nsymbols];
        if (!(s->name = strdup(nm)))
            return FW_ENOMEM;
        s->value = sym.st_value;
        s->size = sym.st_size;
        s->type = GELF_ST_TYPE(sym.st_info);
        s->bind = GELF_ST_BIND(sym.st_info);
        s->shndx = sym.st_shndx;
        info->nsymbols++;
    }
    return FW_OK;
}

static int read_sections(Elf *e, fw_elf_info *info, const char *name, fw_diag *d)
{
    size_t shnum, shstrndx;
    if (elf_getshdrnum(e, &shnum) != 0)
        return elf_fail(d, name, "cannot count section headers");
    if (shnum == 0)
        return FW_OK;
    if (elf_getshdrstrndx(e, &shstrndx) != 0)
        return elf_fail(d, name, "cannot find the section name table");
    info->sections = calloc(shnum, sizeof(*info->sections));
    if (!info->sections)
        return FW_ENOMEM;
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh))
            return elf_fail(d, name, "bad section header");
        const char *sn = elf_strptr(e, shstrndx, sh.sh_name);
        fw_elf_section *s = &info->sections[info->nsections];
        s->name = strdup(sn ? sn : "");
        if (!s->name)
            return FW_ENOMEM;
        info->nsections++;
        s->type = sh.sh_type;
        s->flags = sh.sh_flags;
        s->vma = sh.sh_addr;
        s->size = sh.sh_size;
        s->offset = sh.sh_offset;
        s->lma = (sh.sh_flags & SHF_ALLOC) ? section_lma(info, &sh) : sh.sh_addr;
        if (sh.sh_type == SHT_NOTE && !info->build_id)
            read_build_id(e, scn, info);
        if (sh.sh_type == SHT_SYMTAB) {
            int rc = read_symbols(e, scn, &sh, info);
            if (rc)
                return rc;
        }
        if (sh.sh_type == 0x70000003 /* SHT_ARM_ATTRIBUTES, SHT_RISCV_ATTRIBUTES */)
            read_attributes(scn, info->machine == 243, info);
        if (sh.sh_type == SHT_PROGBITS && !(sh.sh_flags & SHF_ALLOC) && !strcmp(s->name, ".comment") && !info->comment)
            info->comment = read_comment(scn);
    }
    return FW_OK;
}

/* Whether any allocated section with contents lies in the segment's file bytes. */
static bool has_sections(const fw_elf_info *info, const fw_elf_segment *p)
{
    for (size_t i = 0; i < info->nsections; i++) {
        const fw_elf_section *s = &info->sections[i];
        if ((s->flags & SHF_ALLOC) && s->type != SHT_NOBITS && s->size && s->offset < p->offset + p->filesz &&
            s->offset + s->size > p->offset)
            return true;
    }
    return false;
}

/* Whether the allocated sections with contents cover every byte of the
 * segment (then reading by sections is reading the segment, and a big one
 * may stay mapped). */
static bool sections_cover(const fw_elf_info *info, const fw_elf_segment *p)
{
    uint64_t pos = p->offset, end = p->offset + p->filesz;
    while (pos < end) {
        uint64_t next = pos;
        for (size_t i = 0; i < info->nsections; i++) {
            const fw_elf_section *s = &info->sections[i];
            if ((s->flags & SHF_ALLOC) && s->type != SHT_NOBITS && s->size && s->offset <= pos &&
                s->offset + s->size > next)
                next = s->offset + s->size;
        }
        if (next == pos)
            return false;
        pos = next;
    }
    return true;
}

/* Whether another loadable segment puts bytes at [at, at + n). */
static bool other_segment_covers(const fw_elf_info *info, const fw_elf_segment *self, uint64_t at, uint64_t n)
{
    for (size_t i = 0; i < info->nsegments; i++) {
        const fw_elf_segment *o = &info->segments[i];
        uint64_t load = info->used_vaddr ? o->vaddr : o->paddr;
        if (o != self && o->type == PT_LOAD && o->filesz && load < at + n && at < load + o->filesz)
            return true;
    }
    return false;
}

/* Adds segment bytes [from, to) of file offsets, labelled by the allocated
 * sections they fall in. The bytes between sections (alignment padding)
 * are left out, as objcopy leaves them, unless the whole segment is asked
 * for or no section describes the segment (a segment loader's view). A
 * run of zeros that another segment also covers is left out too: external
 * loaders (.stldr) put a zero-filled segment under their Dev_info data. */
static int add_segment(struct elf_src *src, fw_image *img, const fw_elf_info *info, const fw_elf_segment *p,
                       uint64_t load, size_t index, fw_diag *d)
{
    uint64_t pos = p->offset, end = p->offset + p->filesz;
    bool by_sections = !src->whole && has_sections(info, p) && !sections_cover(info, p);
    char seglabel[40];
    snprintf(seglabel, sizeof(seglabel), "segment %zu padding", index);
    void *map;
    size_t map_len;
    uint8_t *mapped;
    bool is_mapped = !by_sections && src->may_map && p->filesz >= MAP_SEGMENTS_FROM && p->filesz <= SIZE_MAX &&
                     fw_input_map(src->in, p->offset, (size_t)p->filesz, &map, &map_len, &mapped) == FW_OK;
    if (is_mapped) {
        int rc = fw_image_adopt_mapping(img, load, mapped, (size_t)p->filesz, map, map_len);
        if (rc)
            return rc;
    }
    while (pos < end) {
        /* the section starting at or covering pos, else the next one */
        const fw_elf_section *cover = NULL;
        uint64_t next = end;
        for (size_t i = 0; i < info->nsections; i++) {
            const fw_elf_section *s = &info->sections[i];
            if (!(s->flags & SHF_ALLOC) || s->type == SHT_NOBITS || !s->size)
                continue;
            if (s->offset <= pos && pos < s->offset + s->size) {
                cover = s;
                break;
            }
            if (s->offset > pos && s->offset < next)
                next = s->offset;
        }
        uint64_t stop = cover ? (cover->offset + cover->size < end ? cover->offset + cover->size : end) : next;
        uint64_t at = load + (pos - p->offset);
        size_t n = (size_t)(stop - pos);
        if (!cover && by_sections) {
            pos = stop; /* padding between sections */
            continue;
        }
        int source = fw_image_source(img, src->in->name, cover ? cover->name : seglabel);
        if (source < 0)
            return source;
        int rc;
        if (is_mapped) {
            rc = fw_image_label(img, at, n, source, pos, 0);
        } else if (other_segment_covers(info, p, at, n)) {
            uint8_t *tmp = malloc(n ? n : 1);
            if (!tmp)
                return FW_ENOMEM;
            rc = read_at(src, pos, tmp, n, d);
            if (!rc && fw_bytes_all(tmp, n, 0)) {
                fw_location loc = {.file = src->in->name, .section = cover ? cover->name : NULL, .has_offset = true,
                                   .offset = pos};
                fw_diag_add(d, FW_NOTE, "ELF-OVERLAP-ZERO", &loc,
                            "segment %zu's %zu zero bytes at 0x%08llx lie under another segment's data: the other "
                            "segment's bytes are kept (as an external loader's Dev_info is)",
                            index, n, (unsigned long long)at);
            } else if (!rc) {
                rc = fw_image_add(img, at, tmp, n, source, pos, 0);
            }
            free(tmp);
        } else {
            uint8_t *w;
            if (!(rc = fw_image_reserve(img, at, n, source, pos, 0, &w)))
                rc = read_at(src, pos, w, n, d);
        }
        if (rc)
            return rc;
        pos = stop;
    }
    return FW_OK;
}

static int read_elf(Elf *e, struct elf_src *src, fw_image *img, fw_diag *d)
{
    const char *name = src->in->name;
    fw_location loc = {.file = name};
    if (elf_kind(e) != ELF_K_ELF) {
        fw_diag_add(d, FW_ERROR, "FMT-ELF", &loc, "not an ELF file");
        return FW_EFORMAT;
    }
    GElf_Ehdr eh;
    if (!gelf_getehdr(e, &eh))
        return elf_fail(d, name, "bad ELF header");
    fw_elf_info *info = calloc(1, sizeof(*info));
    if (!info)
        return FW_ENOMEM;
    fw_image_set_elf(img, info);
    info->attributes = (fw_elf_attributes){-1, -1, -1, -1, -1, -1, -1, -1, NULL};
    info->elf_class = eh.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : 32;
    info->big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
    info->machine = eh.e_machine;
    info->type = eh.e_type;
    info->flags = eh.e_flags;
    info->entry = eh.e_entry;

    size_t phnum;
    if (elf_getphdrnum(e, &phnum) != 0)
        return elf_fail(d, name, "cannot count program headers");
    if (phnum) {
        info->segments = calloc(phnum, sizeof(*info->segments));
        if (!info->segments)
            return FW_ENOMEM;
    }
    bool any_paddr = false;
    size_t loadable = 0;
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph))
            return elf_fail(d, name, "bad program header");
        fw_elf_segment *p = &info->segments[info->nsegments++];
        *p = (fw_elf_segment){ph.p_type, ph.p_flags, ph.p_offset, ph.p_vaddr, ph.p_paddr, ph.p_filesz, ph.p_memsz};
        if (ph.p_type == PT_LOAD && ph.p_filesz) {
            loadable++;
            if (ph.p_paddr)
                any_paddr = true;
            if (ph.p_offset > src->size || ph.p_filesz > src->size - ph.p_offset) {
                fw_location l = {.file = name, .has_offset = true, .offset = ph.p_offset};
                fw_diag_add(d, FW_ERROR, "FMT-ELF", &l,
                            "program header %zu: %llu bytes at offset 0x%llx run past the end of the file (%zu bytes)",
                            i, (unsigned long long)ph.p_filesz, (unsigned long long)ph.p_offset, src->size);
                return FW_EFORMAT;
            }
        }
    }
    int rc = read_sections(e, info, name, d);
    if (rc)
        return rc;
    info->used_vaddr = loadable && !any_paddr;
    if (info->used_vaddr) {
        bool differs = false;
        for (size_t i = 0; i < info->nsegments; i++)
            if (info->segments[i].type == PT_LOAD && info->segments[i].filesz && info->segments[i].vaddr)
                differs = true;
        if (differs)
            fw_diag_add(d, FW_NOTE, "ELF-VADDR", &loc,
                        "every loadable segment has physical address 0; using virtual addresses instead "
                        "(as OpenOCD and objcopy do)");
    }
    for (size_t i = 0; i < info->nsegments; i++) {
        const fw_elf_segment *p = &info->segments[i];
        if (p->type != PT_LOAD || !p->filesz)
            continue;
        uint64_t load = info->used_vaddr ? p->vaddr : p->paddr;
        if (p->filesz > FW_ADDR_END - load) {
            fw_diag_add(d, FW_ERROR, "FMT-ELF", &loc, "segment %zu at 0x%llx runs past the end of the address space",
                        i, (unsigned long long)load);
            return FW_EFORMAT;
        }
        if ((rc = add_segment(src, img, info, p, load, i, d)))
            return rc;
    }
    if (eh.e_type == ET_REL && !loadable)
        fw_diag_add(d, FW_NOTE, "ELF-RELOCATABLE", &loc,
                    "this is a relocatable object (.o), not a linked program: it has no load addresses");
    fw_start s = {.kind = FW_START_LINEAR, .addr = eh.e_entry};
    if (eh.e_type == ET_EXEC || eh.e_entry)
        fw_image_set_start(img, &s);
    return FW_OK;
}

int fw_elf_read(struct fw_input *in, fw_image *img, const fw_read_options *opt, fw_diag *d)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        fw_location loc = {.file = in->name};
        fw_diag_add(d, FW_ERROR, "FMT-ELF", &loc, "libelf is too old");
        return FW_EUNSUPPORTED;
    }
    struct elf_src src = {.in = in, .whole = opt->elf_whole_segments};
    uint8_t *buf = NULL;
    Elf *e;
    if (in->fd >= 0 && in->regular && !in->gz) {
        /* headers through libelf's map; segment data read into the image,
         * or for big segments mapped there (MAP_SEGMENTS_FROM) */
        src.size = (size_t)in->file_size;
        src.may_map = !opt->private_copy;
        e = elf_begin(in->fd, ELF_C_READ_MMAP, NULL);
    } else {
        /* a private copy: libelf may convert headers in place */
        int rc = fw_input_slurp(in, &buf, &src.size, d);
        if (rc)
            return rc;
        src.mem = buf;
        e = elf_memory((char *)buf, src.size);
    }
    if (!e) {
        free(buf);
        return elf_fail(d, in->name, "cannot read ELF");
    }
    int rc = read_elf(e, &src, img, d);
    elf_end(e);
    free(buf);
    return rc;
}
