#ifndef ALMANAC_CZSTD_SHIM_H
#define ALMANAC_CZSTD_SHIM_H
#include <zstd.h>
#include <zstd_errors.h>
#endif
