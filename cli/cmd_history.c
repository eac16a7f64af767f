/*
 * aimctl history generate: realistic synthetic license history, filed
 * through the registry (reg_submit, marked synthetic: no confirmation
 * email), so that the public monitor and the Action Required
 * statistics have data.  aimctl history rebuild|check: the monitor's
 * roll-ups counted again from the licenses, or compared with them.
 *
 * The same seed gives the same licenses (but for their numbers, which
 * come from the system's CSPRNG).  Applications are spread over the
 * years before today, working days mostly, with seasons, growth and
 * month-end peaks; import dates follow them within the 60 days the
 * rules allow.  Countries, product groups, weights and unit values
 * follow plausible shares; some importers dominate, some origins have
 * few importers (their figures are withheld), a few product group and
 * origin pairs surge in the last months, and a few lines are typed
 * wrong (tons for kilograms) or come from a rare origin, so Action
 * Required shows.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/date.h"
#include "lib/limits.h"
#include "forms/account.h"
#include "forms/rules.h"
#include "db/accounts.h"
#include "db/monitor.h"
#include "db/registry.h"
#include "cli.h"

/* Licenses filed per transaction. */
#define BATCH		1000
#define MAX_LICENSES	10000000L
#define MAX_YEARS	20
#define NIMPORTERS	40
/* A password hash no password verifies against: synthetic importers
 * never sign in. */
#define NO_PASSWORD	"!synthetic-account-no-sign-in"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ----- randomness (splitmix64: small, fast, seedable) ----- */

static uint64_t	 rng_state;

static uint64_t
rng(void)
{
	uint64_t	 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
unif(void)
{
	return (rng() >> 11) * (1.0 / 9007199254740992.0);
}

static double
normal(void)
{
	double	 u = unif(), v = unif();

	return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(2 * M_PI * v);
}

/* An index drawn by weights. */
static size_t
pick(const double *w, size_t n)
{
	double	 sum = 0, x;
	size_t	 i;

	for (i = 0; i < n; i++)
		sum += w[i];
	x = unif() * sum;
	for (i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* ----- the world ----- */

struct origin {
	const char	*name;		/* as a filer types it */
	double		 share[PRODUCT__MAX];	/* of each product */
	const char	*region;	/* ports */
	/* Aluminum: where the metal was smelted, with weights (NULL
	 * name: not applicable, secondary aluminum). */
	struct { const char *name; double w; } smelt[4];
	/* Steel: where it was melted and poured, if not here. */
	const char	*melt_elsewhere;
	double		 melt_elsewhere_share;
	double		 price;		/* unit value factor */
};

static const struct origin origins[] = {
	{ "Canada", { 45, 22 }, "north", { { "Canada", 90 }, { "Norway", 2 },
	  { "Iceland", 2 }, { NULL, 6 } }, "United States", 0.12, 1.0 },
	{ "United Arab Emirates", { 8, 0.3 }, "gulf",
	  { { "United Arab Emirates", 96 }, { NULL, 4 } }, NULL, 0, 0.97 },
	{ "China", { 6, 2 }, "asia", { { "China", 97 }, { NULL, 3 } }, NULL,
	  0, 0.9 },
	{ "Bahrain", { 4, 0 }, "gulf", { { "Bahrain", 97 }, { NULL, 3 } },
	  NULL, 0, 0.97 },
	{ "India", { 4, 3 }, "gulf", { { "India", 95 }, { NULL, 5 } }, NULL, 0,
	  0.93 },
	{ "South Korea", { 3, 10 }, "asia", { { "Australia", 35 },
	  { "United Arab Emirates", 25 }, { "China", 20 }, { NULL, 20 } },
	  "Japan", 0.03, 1.05 },
	{ "Mexico", { 4, 14 }, "south", { { "Canada", 35 },
	  { "United States", 20 }, { "Brazil", 10 }, { NULL, 35 } },
	  "United States", 0.10, 1.0 },
	{ "Germany", { 3, 5 }, "europe", { { "Germany", 30 }, { "Norway", 30 },
	  { "Iceland", 15 }, { NULL, 25 } }, NULL, 0, 1.15 },
	{ "Argentina", { 2, 1 }, "south", { { "Argentina", 100 } }, NULL, 0,
	  0.98 },
	{ "Brazil", { 2, 11 }, "south", { { "Brazil", 92 }, { NULL, 8 } },
	  NULL, 0, 0.95 },
	{ "Norway", { 2, 0.3 }, "europe", { { "Norway", 97 }, { NULL, 3 } },
	  NULL, 0, 1.1 },
	{ "Australia", { 1.5, 0.2 }, "asia", { { "Australia", 100 } }, NULL,
	  0, 1.0 },
	{ "Turkey", { 2, 3 }, "europe", { { "Russia", 25 },
	  { "United Arab Emirates", 25 }, { NULL, 50 } }, NULL, 0, 0.95 },
	{ "Vietnam", { 2, 4 }, "asia", { { "China", 65 }, { NULL, 35 } },
	  "China", 0.35, 0.88 },
	{ "Oman", { 1, 0.2 }, "gulf", { { "Oman", 100 } }, NULL, 0, 0.97 },
	{ "Qatar", { 1, 0 }, "gulf", { { "Qatar", 100 } }, NULL, 0, 0.97 },
	{ "Saudi Arabia", { 1, 0.2 }, "gulf", { { "Saudi Arabia", 100 } },
	  NULL, 0, 0.97 },
	{ "Japan", { 1, 6 }, "asia", { { "Australia", 40 },
	  { "United Arab Emirates", 20 }, { NULL, 40 } }, NULL, 0, 1.2 },
	{ "Italy", { 1, 2 }, "europe", { { "Russia", 15 }, { "Norway", 25 },
	  { NULL, 60 } }, NULL, 0, 1.12 },
	{ "Malaysia", { 1, 0.5 }, "asia", { { "Malaysia", 80 },
	  { "China", 20 } }, "China", 0.2, 0.9 },
	{ "Thailand", { 1, 1 }, "asia", { { "China", 50 }, { NULL, 50 } },
	  "China", 0.2, 0.9 },
	{ "South Africa", { 1, 0.8 }, "europe", { { "South Africa", 95 },
	  { NULL, 5 } }, NULL, 0, 0.95 },
	{ "Iceland", { 0.5, 0 }, "europe", { { "Iceland", 100 } }, NULL, 0,
	  1.0 },
	{ "Taiwan", { 1, 4 }, "asia", { { "China", 40 }, { "Australia", 30 },
	  { NULL, 30 } }, NULL, 0, 1.0 },
	{ "Netherlands", { 0.5, 2 }, "europe", { { "Netherlands", 40 },
	  { "Norway", 30 }, { NULL, 30 } }, NULL, 0, 1.1 },
	{ "Spain", { 0.5, 1.5 }, "europe", { { "Spain", 60 }, { NULL, 40 } },
	  NULL, 0, 1.05 },
	{ "Sweden", { 0.2, 1 }, "europe", { { "Norway", 60 }, { NULL, 40 } },
	  NULL, 0, 1.2 },
	{ "Austria", { 0.3, 1 }, "europe", { { "Norway", 40 }, { NULL, 60 } },
	  NULL, 0, 1.2 },
	{ "United Kingdom", { 0.3, 1.5 }, "europe", { { "United Kingdom", 50 },
	  { NULL, 50 } }, NULL, 0, 1.1 },
	{ "France", { 0.4, 1 }, "europe", { { "France", 70 }, { NULL, 30 } },
	  NULL, 0, 1.1 },
	{ "Belgium", { 0.2, 1 }, "europe", { { "Norway", 50 }, { NULL, 50 } },
	  NULL, 0, 1.1 },
	{ "Ukraine", { 0, 1 }, "europe", { { NULL, 100 } }, NULL, 0, 0.9 },
	{ "Indonesia", { 0.5, 0.5 }, "asia", { { "Indonesia", 90 },
	  { NULL, 10 } }, "China", 0.2, 0.9 },
	{ "Finland", { 0, 0.5 }, "europe", { { NULL, 100 } }, NULL, 0, 1.15 },
};
#define NORIGINS	NELEM(origins)

/* Origins a product rarely comes from: Action Required. */
static const char *const rare[] = { "Peru", "Kenya", "Uruguay", "Jordan" };

struct group {
	enum product	 product;
	const char	*name;		/* forms/hts.c */
	double		 share;
	const char	*codes[6];	/* 10-digit HTS codes */
	double		 kg;		/* median kilograms a line */
	double		 usd_kg;	/* median unit value */
};

static const struct group groups[] = {
	{ PRODUCT_ALUMINUM, "Unwrought Aluminum", 34, { "7601103000",
	  "7601106090", "7601209045", "7601209080", "7601209095" }, 22000,
	  2.6 },
	{ PRODUCT_ALUMINUM, "Bars, Rods and Solid Profiles - Alloyed", 9,
	  { "7604291010", "7604291090", "7604293090", "7604295090" }, 9000,
	  4.6 },
	{ PRODUCT_ALUMINUM, "Hollow Profiles - Alloyed", 4, { "7604210010",
	  "7604210090" }, 7000, 5.0 },
	{ PRODUCT_ALUMINUM, "Redraw Rod", 3, { "7605110000", "7605210000" },
	  18000, 3.0 },
	{ PRODUCT_ALUMINUM, "Wire", 3, { "7605190000", "7605290000" }, 8000,
	  3.9 },
	{ PRODUCT_ALUMINUM, "Sheet and Plate", 22, { "7606113060",
	  "7606123035", "7606123091", "7606123096", "7606126000",
	  "7606923035" }, 16000, 4.2 },
	{ PRODUCT_ALUMINUM, "Can Stock", 4, { "7606123045", "7606123055" },
	  20000, 3.6 },
	{ PRODUCT_ALUMINUM, "Foil", 13, { "7607113000", "7607116010",
	  "7607116090", "7607119090", "7607201000" }, 9000, 5.0 },
	{ PRODUCT_ALUMINUM, "Seamless Pipe and Tube", 2, { "7608100030",
	  "7608200030" }, 5000, 6.5 },
	{ PRODUCT_ALUMINUM, "Non-Seamless Pipe and Tube", 2, { "7608100090",
	  "7608200090" }, 6000, 5.8 },
	{ PRODUCT_ALUMINUM, "Tube and Pipe Fittings", 1, { "7609000000" },
	  2000, 9.0 },
	{ PRODUCT_ALUMINUM, "Castings and Forgings", 3, { "7616995160",
	  "7616995170" }, 3000, 10.0 },
	{ PRODUCT_STEEL, "Semi-finished", 10, { "7207110000", "7207120010",
	  "7207120050", "7207200045", "7224900055" }, 250000, 0.6 },
	{ PRODUCT_STEEL, "Flat", 40, { "7208101500", "7208253000",
	  "7208390015", "7209160090", "7210490090", "7210701000" }, 60000,
	  1.0 },
	{ PRODUCT_STEEL, "Long", 22, { "7213913011", "7214200000",
	  "7216330090", "7217102000", "7228300000", "7302101010" }, 45000,
	  0.95 },
	{ PRODUCT_STEEL, "Stainless", 8, { "7219330035", "7219340005",
	  "7220206010", "7222111000", "7223001015" }, 15000, 3.2 },
	{ PRODUCT_STEEL, "Pipe and Tube", 20, { "7304290010", "7304394000",
	  "7305111030", "7306306000", "7306500000", "7306611000" }, 30000,
	  1.4 },
};
#define NGROUPS	NELEM(groups)

/* Origins known for a group: their share of it is multiplied. */
static const struct { const char *origin, *group; double f; } affinity[] = {
	{ "Canada", "Unwrought Aluminum", 1.6 },
	{ "United Arab Emirates", "Unwrought Aluminum", 2.2 },
	{ "Bahrain", "Unwrought Aluminum", 2.0 },
	{ "India", "Unwrought Aluminum", 2.0 },
	{ "Qatar", "Unwrought Aluminum", 2.5 },
	{ "Oman", "Unwrought Aluminum", 2.2 },
	{ "China", "Foil", 3.0 },
	{ "China", "Sheet and Plate", 1.8 },
	{ "South Korea", "Sheet and Plate", 2.0 },
	{ "Germany", "Sheet and Plate", 1.8 },
	{ "Mexico", "Bars, Rods and Solid Profiles - Alloyed", 2.5 },
	{ "Vietnam", "Bars, Rods and Solid Profiles - Alloyed", 2.5 },
	{ "Turkey", "Foil", 2.5 },
	{ "South Korea", "Flat", 1.5 },
	{ "Brazil", "Semi-finished", 4.0 },
	{ "Mexico", "Long", 1.5 },
	{ "Japan", "Flat", 1.4 },
	{ "Taiwan", "Stainless", 2.5 },
	{ "Turkey", "Long", 2.0 },
	{ "Vietnam", "Flat", 1.6 },
};

/* Pairs that surge in the last months of the history. */
static const struct { const char *origin, *group; int months; double f; }
    surges[] = {
	{ "Vietnam", "Foil", 2, 4.0 },
	{ "India", "Unwrought Aluminum", 1, 3.0 },
	{ "Vietnam", "Flat", 2, 3.5 },
	{ "Turkey", "Pipe and Tube", 1, 3.0 },
};

static const char *const company_words[][2] = {
	{ "Great Lakes", "Metals" }, { "Atlantic", "Aluminum Supply" },
	{ "Gulf Coast", "Steel Trading" }, { "Midwest", "Alloys" },
	{ "Pacific Rim", "Metals" }, { "Keystone", "Steel" },
	{ "Hudson Valley", "Extrusions" }, { "Lone Star", "Pipe & Tube" },
	{ "Cascade", "Aluminum" }, { "Blue Ridge", "Metal Products" },
	{ "Ohio River", "Steel Service" }, { "Prairie", "Wire Company" },
	{ "Harbor", "Metals Importing" }, { "Summit", "Steel Supply" },
	{ "Redwood", "Foil Products" }, { "Chesapeake", "Metals" },
	{ "Rocky Mountain", "Steel" }, { "Delta", "Aluminum Sales" },
	{ "Piedmont", "Plate & Sheet" }, { "Northern Star", "Metals" },
	{ "Bayou", "Pipe Supply" }, { "Granite State", "Alloys" },
	{ "Desert Sun", "Metals" }, { "Empire", "Steel Trading" },
	{ "Coastal", "Can Stock" }, { "Heartland", "Steel" },
	{ "Silver Lake", "Aluminum" }, { "Tri-State", "Metal Supply" },
	{ "Golden Gate", "Metals" }, { "Allegheny", "Tube" },
	{ "Magnolia", "Metals" }, { "Badger", "Steel Products" },
	{ "Evergreen", "Alloys" }, { "Liberty", "Metals Group" },
	{ "Sierra", "Steel Imports" }, { "Riverbend", "Aluminum" },
	{ "Frontier", "Steel" }, { "Palmetto", "Metals" },
	{ "Columbia", "Rod & Wire" }, { "Mesa", "Metal Trading" },
};

static const char *const suffixes[] = { "LLC", "Inc.", "Corp.",
	"Company", "LLC", "Inc." };

static const char *const cities[][3] = {
	{ "Toledo", "OH", "43604" }, { "Pittsburgh", "PA", "15222" },
	{ "Houston", "TX", "77002" }, { "Chicago", "IL", "60606" },
	{ "Long Beach", "CA", "90802" }, { "Baltimore", "MD", "21202" },
	{ "Detroit", "MI", "48226" }, { "Charlotte", "NC", "28202" },
	{ "Seattle", "WA", "98104" }, { "Newark", "NJ", "07102" },
};

struct importer {
	char		 name[96];
	char		 email[64];
	int64_t		 account;
	double		 w[PRODUCT__MAX];	/* how much it imports */
	unsigned char	 from[NORIGINS];	/* origins it buys from */
};

static const char *const ports[][4] = {
	{ "north", "Buffalo-Niagara Falls, NY", "Detroit, MI",
	  "Champlain-Rouses Point, NY" },
	{ "south", "Laredo, TX", "El Paso, TX", "Houston, TX" },
	{ "europe", "Baltimore, MD", "Philadelphia, PA", "New York, NY" },
	{ "asia", "Los Angeles, CA", "Long Beach, CA", "Seattle, WA" },
	{ "gulf", "Baltimore, MD", "Houston, TX", "New Orleans, LA" },
};

/* Where an origin's goods leave from when not from the origin itself. */
static const char *const hubs[] = { "Netherlands", "Singapore", "Canada",
	"Mexico", "Belgium" };

struct gen {
	struct cli		*c;
	long			 n;
	int			 years;
	int			 today;
	int			 start;
	struct importer		 imp[NIMPORTERS];
	int64_t			 account;	/* --account, or 0 */
	double			 gweight[NORIGINS][NGROUPS];
	long			 done, flagged, lines;
};

/* ----- accounts ----- */

static int
importer_account(struct gen *g, struct importer *im, size_t i)
{
	struct account_form	 af;
	struct account		 acc;
	struct report		 rep;
	char			 buf[128];
	enum db_err		 e;
	int			 rc = -1;

	if ((e = accounts_by_email(g->c->db, im->email, &acc)) == DB_OK) {
		im->account = acc.id;
		account_clear(&acc);
		return 0;
	}
	if (e != DB_NOT_FOUND)
		return -1;
	memset(&af, 0, sizeof(af));
	report_init(&rep);
	af.v[AF_EMAIL] = strdup(im->email);
	af.v[AF_COMPANY_NAME] = strdup(im->name);
	snprintf(buf, sizeof(buf), "9%zu-%07zu", i % 10, 1000000 + i * 7919);
	af.v[AF_EIN] = strdup(buf);
	snprintf(buf, sizeof(buf), "%zu %s Street, %s, %s %s", 100 + i * 17,
	    company_words[i][0], cities[i % NELEM(cities)][0],
	    cities[i % NELEM(cities)][1], cities[i % NELEM(cities)][2]);
	af.v[AF_ADDRESS] = strdup(buf);
	af.v[AF_PHONE] = strdup("419-555-0100");
	af.v[AF_CONTACT_NAME] = strdup("Synthetic Filer");
	if (account_check(&af, &rep) > 0) {
		fprintf(stderr, "aimctl: synthetic account %s: %s: %s\n",
		    im->email, rep.errors[0].field, rep.errors[0].message);
		goto out;
	}
	if (accounts_add(g->c->db, &af, NO_PASSWORD, 1, &im->account) !=
	    DB_OK)
		goto out;
	rc = 0;
out:
	account_form_clear(&af);
	report_free(&rep);
	return rc;
}

/* The importers: names, sizes, the origins each buys from. */
static int
make_importers(struct gen *g)
{
	struct importer	*im;
	double		 w[NORIGINS];
	size_t		 i, k, o, n;
	int		 p;

	for (i = 0; i < NIMPORTERS; i++) {
		im = &g->imp[i];
		memset(im, 0, sizeof(*im));
		snprintf(im->name, sizeof(im->name), "%s %s %s",
		    company_words[i][0], company_words[i][1],
		    suffixes[i % NELEM(suffixes)]);
		snprintf(im->email, sizeof(im->email),
		    "importer%02zu@synthetic.aim.test", i + 1);
		/* A few large importers and many small: Zipf-like sizes;
		 * a third aluminum only, a third steel only. */
		for (p = 0; p < PRODUCT__MAX; p++)
			im->w[p] = 1.0 / pow(i / 3 + 1, 0.9) *
			    (0.5 + unif());
		if (i % 3 == 1)
			im->w[PRODUCT_STEEL] = 0;
		else if (i % 3 == 2)
			im->w[PRODUCT_ALUMINUM] = 0;
		/* Larger importers buy from more countries. */
		n = 3 + (NIMPORTERS - i) / 5 + rng() % 3;
		for (o = 0; o < NORIGINS; o++)
			w[o] = origins[o].share[0] * (im->w[0] > 0) +
			    origins[o].share[1] * (im->w[1] > 0);
		for (k = 0; k < n; k++) {
			o = pick(w, NORIGINS);
			im->from[o] = 1;
			w[o] = 0;
		}
		/* Everyone ships from Canada or Mexico now and then. */
		im->from[rng() % 2 == 0 ? 0 : 6] = 1;
		if (g->account == 0 && importer_account(g, im, i) == -1)
			return -1;
	}
	/* The surging origins have enough importers to be published. */
	for (k = 0; k < NELEM(surges); k++)
		for (o = 0; o < NORIGINS; o++)
			if (strcmp(origins[o].name, surges[k].origin) == 0)
				for (i = 0; i < NIMPORTERS; i += 4)
					g->imp[i].from[o] = 1;
	return 0;
}

/* ----- one license ----- */

static void
set(struct form *f, enum hfield h, const char *v)
{
	form_set(f, h, v, strlen(v));
}

static void
lset(struct form_line *l, enum lfield h, const char *v)
{
	form_line_set(l, h, v, strlen(v));
}

/* Months before the end of the history (0: the last month). */
static int
months_before(int day, int today)
{
	int	 y, m, d, ty, tm;

	date_to_ymd(day, &y, &m, &d);
	date_to_ymd(today, &ty, &tm, &d);
	return (ty * 12 + tm) - (y * 12 + m);
}

static size_t
pick_origin(const struct gen *g, enum product p, int import_day)
{
	double	 w[NORIGINS];
	size_t	 o, k;
	int	 ago = months_before(import_day, g->today);

	for (o = 0; o < NORIGINS; o++) {
		w[o] = origins[o].share[p];
		for (k = 0; k < NELEM(surges); k++)
			if (ago < surges[k].months && strcmp(origins[o].name,
			    surges[k].origin) == 0)
				w[o] *= 1 + (surges[k].f - 1) * 0.5;
	}
	/* (Russian aluminum all but stopped with the 200% tariff of
	 * 2023: Russia is no origin here, only a past smelter.) */
	return pick(w, NORIGINS);
}

static size_t
pick_group(const struct gen *g, enum product p, size_t o, int import_day)
{
	double	 w[NGROUPS];
	size_t	 i, k;
	int	 ago = months_before(import_day, g->today);

	for (i = 0; i < NGROUPS; i++) {
		w[i] = groups[i].product == p ? g->gweight[o][i] : 0;
		for (k = 0; k < NELEM(surges); k++)
			if (ago < surges[k].months &&
			    strcmp(origins[o].name, surges[k].origin) == 0 &&
			    strcmp(groups[i].name, surges[k].group) == 0)
				w[i] *= surges[k].f;
	}
	return pick(w, NGROUPS);
}

static size_t
pick_importer(const struct gen *g, enum product p, size_t o)
{
	double	 w[NIMPORTERS];
	size_t	 i, any = 0;

	for (i = 0; i < NIMPORTERS; i++) {
		w[i] = g->imp[i].from[o] ? g->imp[i].w[p] : 0;
		any += w[i] > 0;
	}
	if (any == 0)
		for (i = 0; i < NIMPORTERS; i++)
			w[i] = g->imp[i].w[p];
	return pick(w, NIMPORTERS);
}

static const char *
pick_smelt(const struct origin *o)
{
	double	 w[4];
	size_t	 i;

	for (i = 0; i < 4; i++)
		w[i] = o->smelt[i].w;
	i = pick(w, 4);
	return o->smelt[i].name != NULL ? o->smelt[i].name : "not applicable";
}

/* A line's weight and value, now and then typed wrong. */
static void
amounts(const struct group *gr, const struct origin *o, int wrong,
    char *kg, size_t kgsz, char *usd, size_t usdsz)
{
	double	 k, v;

	k = gr->kg * exp(0.9 * normal());
	if (k < 50)
		k = 50;
	v = k * gr->usd_kg * o->price * exp(0.18 * normal());
	/* Informal entries (under $2,500) need no license. */
	if (v < 2600) {
		k *= 2600 / v;
		v = 2600;
	}
	/* Typing slips that Action Required catches; small ones, so
	 * that they do not swamp the totals (as they would not once
	 * filers correct them). */
	if (wrong == 1 && (k /= 1000) < 1)
		k = 1;			/* metric tons in the kilograms box */
	else if (wrong == 2)
		v *= 20;		/* a slipped digit and more */
	snprintf(kg, kgsz, "%.0f", k);
	snprintf(usd, usdsz, "%.2f", v);
}

static struct form *
make_license(struct gen *g, int app, int *acct)
{
	struct form		*f;
	struct form_line	*l;
	const struct origin	*o;
	const struct group	*gr;
	const char		*origin, *s;
	char			 d[11], kg[32], usd[32], buf[160];
	size_t			 oi, gi, ii, i, nl;
	enum product		 p;
	int			 imp, exp_day, off, wrong;
	double			 x;

	if ((f = form_new()) == NULL)
		return NULL;
	p = unif() < 0.32 ? PRODUCT_ALUMINUM : PRODUCT_STEEL;
	/* Import dates: mostly weeks ahead, some already past. */
	x = unif();
	off = x < 0.08 ? -(int)(rng() % 20) : x < 0.8 ? 5 + (int)(rng() % 41) :
	    46 + (int)(rng() % 15);
	imp = app + off;
	oi = pick_origin(g, p, imp);
	o = &origins[oi];
	origin = o->name;
	if (unif() < 0.0004)
		origin = rare[rng() % NELEM(rare)];
	ii = pick_importer(g, p, oi);
	*acct = (int)ii;

	set(f, HF_PRODUCT, product_names[p]);
	if (unif() < 0.004) {
		set(f, HF_LICENSE_TYPE, "low_value");
		nl = 0;
	} else {
		set(f, HF_LICENSE_TYPE, "standard");
		x = unif();
		nl = x < 0.7 ? 1 : x < 0.9 ? 2 : x < 0.97 ? 3 : 4;
	}
	set(f, HF_ENTRY_TYPE, unif() < 0.08 ? "ftz" : "consumption");
	set(f, HF_IMPORTER_NAME, g->imp[ii].name);
	snprintf(buf, sizeof(buf), "%s %s Export Co.", origin,
	    p == PRODUCT_ALUMINUM ? "Aluminium" : "Steel");
	set(f, HF_EXPORTER_NAME, buf);
	if (unif() < 0.02)
		set(f, HF_MANUFACTURER_NAME, "unknown");
	else {
		snprintf(buf, sizeof(buf), "%s %s Works %d", origin,
		    p == PRODUCT_ALUMINUM ? "Aluminium" : "Steel",
		    (int)(rng() % 3) + 1);
		set(f, HF_MANUFACTURER_NAME, buf);
	}
	set(f, HF_COUNTRY_OF_ORIGIN, origin);
	set(f, HF_COUNTRY_OF_EXPORTATION, unif() < 0.05 ?
	    hubs[rng() % NELEM(hubs)] : origin);
	exp_day = imp - (strcmp(o->region, "north") == 0 ||
	    strcmp(o->region, "south") == 0 ? 1 + (int)(rng() % 6) :
	    10 + (int)(rng() % 25));
	date_format(exp_day, d);
	set(f, HF_EXPECTED_EXPORT_DATE, d);
	date_format(imp, d);
	set(f, HF_EXPECTED_IMPORT_DATE, d);
	for (i = 0; i < NELEM(ports); i++)
		if (strcmp(ports[i][0], o->region) == 0)
			break;
	set(f, HF_PORT_OF_ENTRY, ports[i < NELEM(ports) ? i : 0][1 +
	    rng() % 3]);

	gi = pick_group(g, p, oi, imp);
	for (i = 0; i < nl; i++) {
		if ((l = form_add_line(f)) == NULL) {
			form_free(f);
			return NULL;
		}
		/* Lines of one license are mostly of one group. */
		if (i > 0 && unif() < 0.3)
			gi = pick_group(g, p, oi, imp);
		gr = &groups[gi];
		for (s = NULL; s == NULL; )
			s = gr->codes[rng() % NELEM(gr->codes)];
		lset(l, LF_HTS_CODE, s);
		x = unif();
		wrong = x < 0.001 ? 1 : x < 0.0015 ? 2 : 0;
		amounts(gr, o, wrong, kg, sizeof(kg), usd, sizeof(usd));
		lset(l, LF_VOLUME_KG, kg);
		lset(l, LF_CUSTOMS_VALUE_USD, usd);
		if (p == PRODUCT_ALUMINUM) {
			s = pick_smelt(o);
			lset(l, LF_COUNTRY_OF_LARGEST_SMELT, s);
			lset(l, LF_COUNTRY_OF_SECOND_LARGEST_SMELT,
			    strcmp(s, "not applicable") != 0 &&
			    unif() < 0.15 ? (strcmp(s, "Canada") != 0 ?
			    "Canada" : "Norway") : "not applicable");
			lset(l, LF_COUNTRY_OF_MOST_RECENT_CAST, unif() < 0.9 ||
			    strcmp(s, "not applicable") == 0 ? origin : s);
		} else
			lset(l, LF_COUNTRY_OF_MELT_AND_POUR,
			    o->melt_elsewhere != NULL &&
			    unif() < o->melt_elsewhere_share ?
			    o->melt_elsewhere : origin);
	}
	return f;
}

/* ----- the calendar ----- */

/* How many applications a day gets, relative: working days, seasons,
 * a little growth, and the month-end rush. */
static double
day_weight(const struct gen *g, int day)
{
	int	 y, m, d, dow, last, nd;
	double	 w;
	static const double season[12] = { 0.85, 0.9, 1.05, 1.05, 1.05, 1.0,
	    0.95, 0.95, 1.05, 1.1, 1.0, 0.8 };

	date_to_ymd(day, &y, &m, &d);
	dow = (day % 7 + 3) % 7;	/* 1970-01-01 was a Thursday: 0 Mon */
	if (dow >= 5)
		return 0.05;
	w = season[m - 1] * (1 + 0.04 * (day - g->start) / 365.0);
	nd = date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
	last = nd - day;		/* days left in the month, 1.. */
	if (last <= 3)
		w *= 2.5;
	return w;
}

static int
generate(struct gen *g)
{
	struct reg_result	 res;
	struct actor		 a;
	struct form		*f;
	double			*w = NULL, sum = 0, cum = 0;
	long			 target, k;
	int			 ndays, i, ii, rc = -1, open = 0;
	time_t			 t0 = time(NULL);
	enum reg_err		 e;

	ndays = g->today - g->start + 1;
	if ((w = calloc(ndays, sizeof(*w))) == NULL)
		goto out;
	for (i = 0; i < ndays; i++)
		sum += w[i] = day_weight(g, g->start + i);
	a.who = "aimctl history generate";
	a.channel = "cli";
	a.synthetic = 1;
	for (i = 0; i < ndays; i++) {
		cum += w[i];
		target = (long)floor(cum / sum * g->n + 0.5);
		for (k = g->done; k < target; k++) {
			if (!open) {
				if (db_begin(g->c->db) != DB_OK)
					goto db;
				open = 1;
			}
			if ((f = make_license(g, g->start + i, &ii)) == NULL)
				goto out;
			a.account_id = g->account ? g->account :
			    g->imp[ii].account;
			reg_result_init(&res);
			e = reg_submit(g->c->db, &a, f, g->start + i, &res);
			if (e != REG_OK) {
				fprintf(stderr, "aimctl: history: %s\n",
				    reg_strerror(e));
				if (res.report.nerrors > 0)
					fprintf(stderr, "aimctl: %s: %s\n",
					    res.report.errors[0].field,
					    res.report.errors[0].message);
				reg_result_free(&res);
				form_free(f);
				goto out;
			}
			g->lines += f->nlines;
			g->flagged += res.status == STATUS_ACTION_REQUIRED;
			reg_result_free(&res);
			form_free(f);
			g->done++;
			if (g->done % BATCH == 0) {
				open = 0;
				if (db_commit(g->c->db) != DB_OK)
					goto db;
			}
			if (g->done % 100000 == 0 && !g->c->json)
				fprintf(stderr, "aimctl: history: %ld of %ld "
				    "licenses (%lld s)\n", g->done, g->n,
				    (long long)(time(NULL) - t0));
		}
	}
	if (open) {
		open = 0;
		if (db_commit(g->c->db) != DB_OK)
			goto db;
	}
	rc = 0;
	goto out;
db:
	fprintf(stderr, "aimctl: history: %s\n", g->c->db->errmsg);
out:
	if (open)
		db_rollback(g->c->db);
	free(w);
	return rc;
}

static int
history_generate(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "licenses", required_argument, NULL, 'n' },
		{ "years", required_argument, NULL, 'y' },
		{ "seed", required_argument, NULL, 's' },
		{ "account", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct gen	*g = NULL;
	struct account	 acc;
	const char	*email = NULL;
	char		*end;
	long		 n = -1, years = 3;
	unsigned long long seed = 1;
	size_t		 o, i, k;
	int		 ch, rc = EXIT_USAGE;
	time_t		 t0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || n < 1 ||
			    n > MAX_LICENSES)
				goto usage;
			break;
		case 'y':
			years = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || years < 1 ||
			    years > MAX_YEARS)
				goto usage;
			break;
		case 's':
			seed = strtoull(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0')
				goto usage;
			break;
		case 'a':
			email = optarg;
			break;
		case 'j':
			c->json = 1;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc || n < 0)
		goto usage;
	rc = EXIT_REFUSED;
	if (cli_db(c) == NULL)
		goto out;
	if ((g = calloc(1, sizeof(*g))) == NULL) {
		fprintf(stderr, "aimctl: out of memory\n");
		goto out;
	}
	g->c = c;
	g->n = n;
	g->years = years;
	g->today = date_today();
	g->start = g->today - (int)(years * 365);
	rng_state = seed;
	if (email != NULL) {
		if (accounts_by_email(c->db, email, &acc) != DB_OK) {
			fprintf(stderr, "aimctl: %s: no such account\n", email);
			goto out;
		}
		g->account = acc.id;
		account_clear(&acc);
	}
	for (o = 0; o < NORIGINS; o++)
		for (i = 0; i < NGROUPS; i++) {
			g->gweight[o][i] = groups[i].share;
			for (k = 0; k < NELEM(affinity); k++)
				if (strcmp(affinity[k].origin,
				    origins[o].name) == 0 && strcmp(
				    affinity[k].group, groups[i].name) == 0)
					g->gweight[o][i] *= affinity[k].f;
		}
	if (make_importers(g) == -1) {
		fprintf(stderr, "aimctl: history: could not add the synthetic "
		    "importers: %s\n", c->db->errmsg);
		goto out;
	}
	t0 = time(NULL);
	if (generate(g) == -1)
		goto out;
	if (c->json)
		cli_print_json(json_pack("{s:I, s:I, s:I, s:I}", "licenses",
		    (json_int_t)g->done, "lines", (json_int_t)g->lines,
		    "action_required", (json_int_t)g->flagged, "seconds",
		    (json_int_t)(time(NULL) - t0)));
	else
		printf("%ld synthetic licenses (%ld lines, %ld Action "
		    "Required) over %ld years in %lld s\n", g->done, g->lines,
		    g->flagged, years, (long long)(time(NULL) - t0));
	rc = EXIT_DONE;
	goto out;
usage:
	fprintf(stderr, "usage: aimctl history generate --licenses N "
	    "[--years Y] [--seed S] [--account EMAIL] [--json]\n");
out:
	free(g);
	return rc;
}

int
cmd_history(struct cli *c, int argc, char **argv)
{
	char	 err[1024];
	long	 d;

	if (argc >= 2 && strcmp(argv[1], "generate") == 0)
		return history_generate(c, argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[1], "rebuild") == 0) {
		if (cli_db(c) == NULL)
			return EXIT_REFUSED;
		if (monitor_rebuild(c->db) != DB_OK) {
			fprintf(stderr, "aimctl: history rebuild: %s\n",
			    c->db->errmsg);
			return EXIT_REFUSED;
		}
		printf("the monitor's roll-ups were counted again\n");
		return EXIT_DONE;
	}
	if (argc == 2 && strcmp(argv[1], "check") == 0) {
		if (cli_db(c) == NULL)
			return EXIT_REFUSED;
		if ((d = monitor_recount(c->db, err, sizeof(err))) < 0) {
			fprintf(stderr, "aimctl: history check: %s\n",
			    c->db->errmsg);
			return EXIT_REFUSED;
		}
		if (d > 0) {
			printf("%ld differences between the roll-ups and the "
			    "licenses; the first: %s\n", d, err);
			return EXIT_REFUSED;
		}
		printf("the monitor's roll-ups agree with the licenses\n");
		return EXIT_DONE;
	}
	fprintf(stderr, "usage: aimctl history generate --licenses N "
	    "[--years Y] [--seed S] [--account EMAIL] [--json]\n"
	    "       aimctl history rebuild|check\n");
	return EXIT_USAGE;
}
