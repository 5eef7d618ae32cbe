# SPDX-License-Identifier: MIT
# bash completion for the fwkit tools (fwinfo fwconv fwlint fwmerge fwcmp
# fwflash fwsim). The options come from each tool's own --help, so they never
# drift from it; part names come from `fwlint --list-targets`, rule ids from
# `fwlint --list-rules`. Installed as completions/fwkit, with a link per tool
# for bash-completion's on-demand loading.

_fwkit_image_glob='@(elf|axf|out|hex|ihx|h86|srec|s19|s28|s37|mot|bin|uf2|gz|ELF|AXF|HEX|SREC|S19|BIN|UF2)'

# the options of a tool, from its --help (cached per tool)
_fwkit_options()
{
    local tool=$1 var=_fwkit_opts_${1//-/_}
    if [[ -z ${!var-} ]]; then
        printf -v "$var" '%s' "$("$tool" --help 2>&1 |
            grep -oE '(^|[ ,[(])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[ ,[(]//' | grep -vE '^-W[a-z]' | sort -u |
            tr '\n' ' ')"
    fi
    printf '%s' "${!var}"
}

_fwkit_parts()
{
    local lister=fwlint
    command -v "$lister" > /dev/null 2>&1 || lister=$(dirname "$1")/fwlint
    "$lister" --list-targets 2> /dev/null | awk '{print $1}'
}

_fwkit_files()
{
    local glob=$1 IFS=$'\n'
    if declare -F _filedir > /dev/null; then
        _filedir "$glob"
        return
    fi
    # without bash-completion: directories and the files the glob names
    local ext=${glob#@(}
    ext=${ext%)}
    COMPREPLY=($(compgen -d -- "$cur"; compgen -f -X "!*.@($ext)" -- "$cur"))
}

_fwkit()
{
    local cur prev tool words_before i
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    tool=${COMP_WORDS[0]}
    local base=${tool##*/}

    # fwsim: after --, the command being run
    if [[ $base == fwsim ]]; then
        for ((i = 1; i < COMP_CWORD; i++)); do
            if [[ ${COMP_WORDS[i]} == -- ]]; then
                if declare -F _command_offset > /dev/null; then
                    _command_offset $((i + 1))
                else
                    COMPREPLY=($(compgen -c -- "$cur"))
                fi
                return
            fi
        done
    fi

    case $prev in
    -t | --target)
        COMPREPLY=($(compgen -W "$(_fwkit_parts "$tool")" -- "${cur^^}"))
        return ;;
    --map | --state | --stats | -o | --output)
        _fwkit_files '*'
        return ;;
    --ld)
        _fwkit_files '@(ld|lds|LD)'
        return ;;
    -L)
        COMPREPLY=($(compgen -d -- "$cur"))
        return ;;
    --flash)
        _fwkit_files "$_fwkit_image_glob"
        return ;;
    -I | --input-format)
        COMPREPLY=($(compgen -W "elf ihex srec bin uf2" -- "$cur"))
        return ;;
    -O | --output-format)
        if [[ $base == fwflash ]]; then
            COMPREPLY=($(compgen -W "ihex srec bin" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "ihex srec bin uf2 c vmem" -- "$cur"))
        fi
        return ;;
    --format)
        COMPREPLY=($(compgen -W "gcc json sarif" -- "$cur"))
        return ;;
    --connect)
        COMPREPLY=($(compgen -W "normal under-reset hot-plug" -- "$cur"))
        return ;;
    --probe)
        COMPREPLY=($(compgen -W "v2 v2-1 v3 v3-loader" -- "$cur"))
        return ;;
    --overlap)
        COMPREPLY=($(compgen -W "error same first last" -- "$cur"))
        return ;;
    --byte-swap)
        COMPREPLY=($(compgen -W "2 4" -- "$cur"))
        return ;;
    --rdp)
        COMPREPLY=($(compgen -W "1 2" -- "$cur"))
        return ;;
    --checksum)
        COMPREPLY=($(compgen -W "crc32 crc32-mpeg2 crc16-ccitt crc16-xmodem sum8 sum16 sum32 sum8-neg sum16-neg
                                 sum32-neg adler32" -- "$cur"))
        return ;;
    --fault)
        COMPREPLY=($(compgen -W "stall@ timeout@ unplug@ ap-wait@ dp-wait@ ap-fault@ wrp@ power-loss@ unpowered
                                 no-target claimed" -- "$cur"))
        compopt -o nospace 2> /dev/null
        return ;;
    --enable | --disable | --error | -W)
        COMPREPLY=($(compgen -W "all $(fwlint --list-rules 2> /dev/null | awk '{print $1}')" -- "${cur^^}"))
        return ;;
    --serial | --freq | --base | --range | --offset | --crop | --exclude | --fill | --fill-gaps | --fill-pattern | \
    --pad-to | --pad-chunks | --split | --max-gap | --record-bytes | --srec-type | --srec-header | --uf2-family | \
    --c-name | --start | --start-from | --vtor | --slot | --max-runs)
        return ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_fwkit_options "$tool")" -- "$cur"))
        return
    fi

    if [[ $base == fwflash ]]; then
        local cmd="" w
        for ((i = 1; i < COMP_CWORD; i++)); do
            w=${COMP_WORDS[i]}
            case $w in
            probes | info | diagnose | write | verify | read | checksum | options | erase | reset | unlock) cmd=$w; break ;;
            esac
        done
        case $cmd in
        "") COMPREPLY=($(compgen -W "probes info diagnose write verify read checksum options erase reset unlock" -- "$cur")) ;;
        write | verify | diagnose) _fwkit_files "$_fwkit_image_glob" ;;
        esac
        return
    fi
    [[ $base == fwsim ]] && return
    _fwkit_files "$_fwkit_image_glob"
}

shopt -s extglob
complete -F _fwkit fwinfo fwconv fwlint fwmerge fwcmp fwflash fwsim
