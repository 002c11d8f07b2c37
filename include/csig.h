/*
 * csig.h - the one header users include.  See libcsig(3).
 */
#ifndef CSIG_H
#define CSIG_H

#include "csig/common.h"
#include "csig/macho.h"
#include "csig/codedir.h"
#include "csig/json.h"

#endif
