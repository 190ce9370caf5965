#ifndef PAM_CTURBOJPEG_SHIM_H
#define PAM_CTURBOJPEG_SHIM_H
#include <turbojpeg.h>
#endif
