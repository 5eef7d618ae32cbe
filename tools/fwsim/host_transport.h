/* SPDX-License-Identifier: MIT */
/* fwsim: the host's end of the cable, in-process: an fw_transport (the
 * vtable libimage's probe layer speaks over) that hands each bulk transfer
 * straight to a struct stlink, with no USB and no umockdev in between. The
 * probe and flash layers run against fwsim's models this way in the tests:
 * fast, and deterministic, as only the modelled time passes. */
#ifndef FWSIM_HOST_TRANSPORT_H
#define FWSIM_HOST_TRANSPORT_H

#include "fwkit/transport.h"

#include "emulated_stlink.h"

/* A transport onto p (not owned: closing the transport leaves p as it is);
 * info is filled as the USB transport fills it (serial, PID). NULL when out
 * of memory. */
struct fw_transport *sim_host_transport_new(struct stlink *p, const char *serial, fw_probe_info *info);

#endif
