/*
 * file.c — whole-file reading (see file.h).
 */
#include "base/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char base_file_too_large[] = "larger than the limit";

static char *fail(const char **why, const char *reason, int fd)
{
    if (why)
        *why = reason;
    if (fd >= 0)
        close(fd);
    return NULL;
}

char *base_read_file(const char *path, size_t max, size_t *len, const char **why)
{
    /* O_NOFOLLOW is not used: a symlink to a regular file is a fine file; loops and dangling
     * links fail in open() with ELOOP/ENOENT and are reported. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return fail(why, strerror(errno), -1);
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return fail(why, "not a regular file", fd);
    if ((size_t)st.st_size > max)
        return fail(why, base_file_too_large, fd);
    char *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (!buf)
        return fail(why, "out of memory", -1);
    buf[got] = '\0';
    *len = got;
    return buf;
}
