/* SPDX-License-Identifier: MIT */
/* fwsim: the chip's debug port as a debugger that speaks ADIv5 sees it
 * (pyOCD reads it through the ST-Link's READ_DAP_REG/WRITE_DAP_REG): the
 * SW-DP's registers, the MEM-AP (AP 0, the core's AHB-AP; on a dual-core
 * part also the second core's, on the access port the target data's
 * second-core line gives), and the
 * CoreSight identification in the core's private bus: the ROM table at
 * 0xE00FF000 and the SCS, DWT and FPB component ID registers a debugger
 * walks to find the core. */
#ifndef FWSIM_DEBUG_PORT_H
#define FWSIM_DEBUG_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "flashctl.h"

struct sim_core;
struct sim_target;

#define SIM_DAP_DP_PORT 0xFFFFu /* the port number the ST-Link takes for the DP */

struct sim_dap {
    uint32_t ctrl_stat, select; /* DP */
    uint32_t csw[3], tar[3];    /* MEM-AP 0, the second core's, the system debug AP's */
};

/* The core an access port reaches (the second core of a dual-core part on
 * its port), or NULL when no AP answers there. */
struct sim_core *sim_dap_core_of(struct sim_core *c, unsigned ap);
/* Whether ap is the port onto the system debug bus (H7's AP2, the target
 * data's system-debug-ap line), and an access through it: the window's
 * addresses are the system bus's at their base; outside it, a fault. */
bool sim_dap_is_system_ap(const struct sim_target *t, unsigned ap);
sim_bus sim_system_ap_read(struct sim_target *t, uint32_t addr, unsigned size, uint32_t *value);
sim_bus sim_system_ap_write(struct sim_target *t, uint32_t addr, unsigned size, uint32_t value);

void sim_dap_init(struct sim_dap *d);
/* A DP register (port SIM_DAP_DP_PORT) or an AP register; false when the
 * access faults (an AP that is not there answers IDR 0 instead). */
bool sim_dap_read(struct sim_dap *d, struct sim_core *c, uint16_t port, uint16_t addr, uint32_t *value);
bool sim_dap_write(struct sim_dap *d, struct sim_core *c, uint16_t port, uint16_t addr, uint32_t value);
/* The ROM table and the component ID registers at addr (word aligned):
 * true with *value when addr is one of them. */
bool sim_coresight_id_read(const struct sim_target *t, uint32_t cpuid, uint32_t addr, uint32_t *value);

#endif
