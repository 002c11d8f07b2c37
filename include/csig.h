/*
 * csig.h - the one header users include.  See libcsig(3).
 */
#ifndef CSIG_H
#define CSIG_H

#include "csig/common.h"
#include "csig/req.h"
#include "csig/macho.h"
#include "csig/codedir.h"
#include "csig/json.h"
#include "csig/plist.h"
#include "csig/ent.h"
#include "csig/x509.h"
#include "csig/cms.h"
#include "csig/profile.h"
#include "csig/zip.h"
#include "csig/bundle.h"
#include "csig/scan.h"
#include "csig/audit.h"

#endif
