/* `iolab --client=HOST[,PORT] ... job.fio`: run a job on `fio --server`
 * hosts headless and report as fio's client mode does. */
#ifndef IOLAB_FIOCLI_H
#define IOLAB_FIOCLI_H

/* Parses the whole command line itself. Returns the exit status: 0 all
 * hosts ran, 1 a host was lost or a job failed, 2 bad usage. */
int fiocli_main(int argc, char **argv);

#endif
