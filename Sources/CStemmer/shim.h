// Snowball's stemmers (libstemmer, Debian's libstemmer-dev): the search index's word forms.
#include <libstemmer.h>
