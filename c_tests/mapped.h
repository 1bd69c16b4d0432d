/* mapped.h -- for the programs that check which zlib they run on
 * (dropin.c, installed.c): whether this process maps the library file
 * `lib` and no other file named libz* or librzlib*. */
#ifndef RZ_MAPPED_H
#define RZ_MAPPED_H

#define _XOPEN_SOURCE 700 /* realpath */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when some mapping of this process comes from the file `lib` (symbolic
 * links resolved) and none from another libz* or librzlib* file, which
 * it names on stderr after `who`. */
static int only_this_zlib_mapped(const char *who, const char *lib) {
    char line[4096], want[PATH_MAX];
    int found = 0, other = 0;
    FILE *maps;
    if (realpath(lib, want) == NULL) return 0;
    maps = fopen("/proc/self/maps", "r");
    if (maps == NULL) return 0;
    while (fgets(line, sizeof line, maps)) {
        char *path = strchr(line, '/');
        const char *base;
        if (path == NULL) continue;
        path[strcspn(path, "\n")] = '\0';
        base = strrchr(path, '/') + 1;
        if (strcmp(path, want) == 0) {
            found = 1;
        } else if (strncmp(base, "libz", 4) == 0 || strncmp(base, "librzlib", 8) == 0) {
            other = 1;
            fprintf(stderr, "%s: another zlib is mapped: %s\n", who, path);
        }
    }
    fclose(maps);
    return found && !other;
}

#endif
