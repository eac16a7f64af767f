/*
 * The FastCGI baseline of bench/web: the least a FastCGI responder can
 * do (prefork like aim-gateway, a constant answer), so the gateway's
 * figures read as a share of what the transport itself allows.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <fcgiapp.h>

int
main(int argc, char *argv[])
{
	FCGX_Request	 f;
	sigset_t	 set;
	int		 fd, i, n, sig;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-hello SOCKET WORKERS\n");
		return 2;
	}
	n = (int)strtol(argv[2], NULL, 10);
	if (n < 1 || n > 64)
		n = 4;
	FCGX_Init();
	unlink(argv[1]);
	if ((fd = FCGX_OpenSocket(argv[1], 128)) < 0)
		return 1;
	chmod(argv[1], 0666);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < n; i++)
		if (fork() == 0) {
			FCGX_InitRequest(&f, fd, 0);
			while (FCGX_Accept_r(&f) >= 0) {
				FCGX_PutS("Status: 200 OK\r\nContent-Type: "
				    "text/plain\r\nContent-Length: 6\r\n\r\n"
				    "hello\n", f.out);
				FCGX_Finish_r(&f);
			}
			_exit(0);
		}
	sigwait(&set, &sig);
	shutdown(fd, SHUT_RDWR);
	while (wait(NULL) > 0)
		;
	unlink(argv[1]);
	return 0;
}
