#pragma once
// libexif (Debian's libexif-dev): EXIF capture time and GPS position of photos.
#include <libexif/exif-data.h>
#include <libexif/exif-utils.h>
