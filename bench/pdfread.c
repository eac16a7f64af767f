/*
 * bench-pdfread: filled PDF forms read (forms/pdfread.c through
 * form_read) and checked (forms/rules.c) per second, on one core, over
 * the files named, each read from memory as the mail gateway does.
 * usage: bench-pdfread SECONDS FILE.pdf ...
 * Prints "forms_per_second N" and "forms N".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "forms/read.h"
#include "forms/rules.h"

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	struct report	 rep;
	struct form	*f;
	struct license	*lic;
	char		*buf[64], err[512];
	size_t		 len[64];
	FILE		*fp;
	double		 secs, t0;
	long		 n = 0;
	int		 i, nf, today = date_today();

	if (argc < 3 || argc - 2 > 64) {
		fprintf(stderr, "usage: bench-pdfread SECONDS FILE.pdf ...\n");
		return 2;
	}
	secs = strtod(argv[1], NULL);
	if (rules_init(err, sizeof(err)) == -1) {
		fprintf(stderr, "bench-pdfread: %s\n", err);
		return 1;
	}
	for (nf = 0; nf < argc - 2; nf++) {
		if ((fp = fopen(argv[nf + 2], "rb")) == NULL ||
		    (buf[nf] = malloc(LIM_PDF_BYTES)) == NULL)
			return 1;
		len[nf] = fread(buf[nf], 1, LIM_PDF_BYTES, fp);
		fclose(fp);
	}
	t0 = now();
	/* CPU time: what one core does, whatever else runs. */
	while (now() - t0 < secs) {
		for (i = 0; i < nf; i++) {
			report_init(&rep);
			f = form_read(buf[i], len[i], &rep, err, sizeof(err));
			if (f == NULL) {
				fprintf(stderr, "bench-pdfread: %s: %s\n",
				    argv[i + 2], err);
				return 1;
			}
			lic = NULL;
			rules_check(f, today, &rep, &lic);
			license_free(lic);
			form_free(f);
			report_free(&rep);
			n++;
		}
	}
	printf("forms %ld\nforms_per_second %.0f\n", n, n / (now() - t0));
	return 0;
}
