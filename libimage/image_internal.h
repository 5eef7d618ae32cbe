/* SPDX-License-Identifier: MIT */
/* The image's private layout, shared by the modules that build and reshape it. */
#ifndef FWKIT_IMAGE_INTERNAL_H
#define FWKIT_IMAGE_INTERNAL_H

#include "fwkit/image.h"

struct chunk_slot {
    fw_chunk c;
    size_t cap;
    size_t seq;   /* order of creation: ties in sorting, and which read step added it */
    void *map;    /* non-NULL: c.data lies in this private file mapping, not in malloc'd memory */
    size_t map_len;
};

/* A run of bytes from one source: [addr, addr+len) came from position pos at
 * address anchor; for text, line = pos + (a - anchor) / stride, for binary
 * (stride 0), offset = pos + (a - anchor). */
struct span {
    uint64_t addr, len, anchor, pos;
    uint32_t source, stride;
    size_t seq;
    uint64_t next_pos; /* the line (or offset) that would continue this span */
    bool open;         /* text: every record so far was a full stride long */
};

struct source {
    char *file, *section;
};

struct fw_image {
    struct chunk_slot *chunks;
    size_t n, cap;
    bool sorted;   /* chunks ascend without overlap or adjacency */
    bool strict_overlap; /* finish: identical overlaps are errors too */
    bool merging;        /* finish: overlaps are between inputs of a merge */
    size_t input_first_seq; /* merging: reading steps from here on are the input being added */
    struct span *spans;
    size_t nspans, capspans;
    struct source *sources;
    size_t nsources, capsources;
    size_t next_seq;
    fw_format format;
    fw_start start;
    char *header;
    fw_elf_info *elf;
};

void fw_origin_to_location(const fw_origin *o, fw_location *loc);

/* Frees a slot's bytes, whichever way they are held. */
void fw_chunk_slot_release(struct chunk_slot *s);

/* Adds the len bytes at data, which lie in map (a private mapping of map_len
 * bytes of an input file, PROT_READ|PROT_WRITE), as a new chunk at addr; the
 * image owns the mapping from here on, also on failure. Writing the bytes
 * copies the touched pages; growing the chunk copies it to the heap. Give
 * the bytes' provenance with fw_image_label. */
int fw_image_adopt_mapping(fw_image *img, uint64_t addr, uint8_t *data, size_t len, void *map, size_t map_len);
/* Records that [addr, addr+len) of the last chunk added came from source at
 * pos (bytes_per_line as for fw_image_add). */
int fw_image_label(fw_image *img, uint64_t addr, size_t len, int source, uint64_t pos, uint32_t bytes_per_line);

#endif
