/* SPDX-License-Identifier: MIT */
/* fwsim: the boot configuration (boot.h). Facts: RM0444 §2.5 and RM0490
 * (G0/C0: BOOT0 is the pin when nBOOT_SEL is 0, else the nBOOT0 option bit;
 * BOOT0 = 0 boots main flash unless FLASH_ACR EMPTY is set, which the
 * option-byte loader sets at power-on and OBL_LAUNCH when the first word of
 * flash is erased, and software may clear; BOOT0 = 1 boots system memory,
 * or SRAM when nBOOT1 is 0); RM0008 §3.4, RM0090 §2.4, RM0038 §2.7, RM0351
 * §2.6 (BOOT0 high, BOOT1 low: system memory; the memory booted is aliased
 * at 0 and SYSCFG's MEM_MODE, or L0/L1's read-only BOOT_MODE, resets to
 * it); RM0433 §2.6 (H7: the core boots from BOOT_ADD0 with BOOT0 low,
 * BOOT_ADD1 with it high; factory values 0x0800 and 0x1FF0). */
#include <string.h>

#include "fwkit/bytes.h"
#include "emulated_chip.h"


static bool erased_word(const struct sim_target *s, uint32_t w)
{
    const fw_region *flash = fw_target_region_of_kind(s->part, FW_REGION_FLASH);
    uint8_t e = flash && flash->erased >= 0 ? (uint8_t)flash->erased : 0xFF;
    return w == (uint32_t)e * 0x01010101u;
}

void sim_boot_power_on(struct sim_target *s)
{
    const fw_target *t = s->part;
    s->flash_empty = t->has_boot_options && t->boot_empty_bit && erased_word(s, fw_get_le32(s->flash->bytes));
    /* model: ST's bootloader (AN2606) is not ours to ship; in its place, an
     * idle loop with a vector table at the start of system memory, so that
     * a chip booted there runs in system memory as it would */
    struct sim_memory *sys = s->system;
    const fw_region *ram = fw_target_region_of_kind(t, FW_REGION_RAM);
    if (sys && ram && sys->size >= 0x48 && fw_bytes_all(sys->bytes, sys->size, 0)) {
        fw_put_le32(sys->bytes, (uint32_t)(ram->base + ram->size));
        /* it runs where the CPU emulator maps it: at its own address, or
         * through the boot alias at 0 (system memory that shares a page
         * with the option bytes, F0/F1) */
        fw_put_le32(sys->bytes + 4, (sim_memory_cpu_mapped(sys) ? sys->base : 0) + 0x41); /* Thumb */
        sys->bytes[0x40] = 0xFE;                        /* b . */
        sys->bytes[0x41] = 0xE7;
    }
}

void sim_boot_reset(struct sim_target *s)
{
    const fw_target *t = s->part;
    sim_boot_memory m = s->boot0_pin ? SIM_BOOT_SYSTEM : SIM_BOOT_FLASH;
    if (t->has_boot_options) {
        uint32_t optr = 0;
        sim_target_read(s, (uint32_t)t->boot_option_reg, 4, &optr);
        bool boot0 = optr & t->nboot_sel_bit ? !(optr & t->nboot0_bit) : s->boot0_pin;
        m = !boot0 ? (s->flash_empty ? SIM_BOOT_SYSTEM : SIM_BOOT_FLASH)
                   : (optr & t->nboot1_bit ? SIM_BOOT_SYSTEM : SIM_BOOT_SRAM);
    }
    s->boot_memory = m;
    s->boot_from_system = m == SIM_BOOT_SYSTEM && s->system;
    s->reset_vtor = 0;
    if (t->has_boot_memory) {
        /* the field's reset value: the value whose name is the memory booted */
        const char *want = m == SIM_BOOT_FLASH ? "flash" : m == SIM_BOOT_SYSTEM ? "system" : "sram";
        char name[16];
        for (uint32_t v = 0; v <= t->boot_memory_mask; v++) {
            const char *n = fw_target_boot_memory_name(t, v, name, sizeof(name));
            if (n && !strcmp(n, want)) {
                uint32_t reg = periph_regs_read(&s->periph, (uint32_t)t->boot_memory_reg, 4);
                reg &= ~(t->boot_memory_mask << t->boot_memory_shift);
                periph_regs_write(&s->periph, (uint32_t)t->boot_memory_reg, 4, reg | v << t->boot_memory_shift);
                break;
            }
        }
    }
    if (t->has_boot_address) {
        /* the option bytes as the flash controller shows them (flash_h7.c
         * keeps their factory values) */
        uint32_t v = 0;
        sim_target_read(s, (uint32_t)t->boot_address_reg, 4, &v);
        s->reset_vtor = (s->boot0_pin ? v >> 16 : v & 0xFFFF) << t->boot_address_shift;
        s->boot_memory = s->boot0_pin ? SIM_BOOT_SYSTEM : SIM_BOOT_FLASH;
    }
    if (t->has_trustzone) {
        /* TZEN=1: the core boots secure from SECBOOTADD0, whatever the pin;
         * else from NSBOOTADD0, or NSBOOTADD1 with BOOT0 high; each address
         * in bits 31:7 (the boot configuration of RM0438, RM0456, RM0493) */
        uint32_t optr = 0, v = 0;
        sim_target_read(s, (uint32_t)t->trustzone_reg, 4, &optr);
        bool secure = fw_target_trustzone_on(t, optr), system = !secure && s->boot0_pin && !t->ns_boot1_reg;
        sim_target_read(s, secure ? (uint32_t)t->secure_boot_reg : s->boot0_pin ? (uint32_t)t->ns_boot1_reg : (uint32_t)t->ns_boot_reg,
                        4, &v);
        s->reset_vtor = system && s->system ? s->system->base : fw_target_boot_address(t, v);
        const fw_region *r = fw_target_region_shown(t, fw_target_region_at(t, s->reset_vtor));
        s->boot_memory = r && r->kind == FW_REGION_FLASH ? SIM_BOOT_FLASH
                         : r && r->kind == FW_REGION_SYSTEM ? SIM_BOOT_SYSTEM
                                                             : SIM_BOOT_SRAM;
    }
}

bool sim_boot_read(struct sim_target *s, uint32_t addr, uint32_t *value)
{
    const fw_target *t = s->part;
    if (!t->has_boot_options || !t->boot_empty_bit || addr != (uint32_t)t->boot_empty_reg)
        return false;
    *value = (*value & ~t->boot_empty_bit) | (s->flash_empty ? t->boot_empty_bit : 0);
    return true;
}

void sim_boot_write(struct sim_target *s, uint32_t addr, uint32_t value)
{
    const fw_target *t = s->part;
    if (t->has_boot_options && t->boot_empty_bit && addr == (uint32_t)t->boot_empty_reg)
        s->flash_empty = value & t->boot_empty_bit;
}
