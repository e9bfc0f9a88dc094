/*
 * rank.h: the rank-signals stage and its signal models.  The stage reads
 * the indicators calc-indicators put on each bar (and on quotes and
 * funding records) and, under the profile's [strategy] model, emits
 * "signal" records after the bar that caused them.  One table names the
 * models; each lives in its own file (lib/model_*.c) behind struct
 * rank_model, and the stage does what they share: symbols, the signal
 * record, its id, rounding and pass-through.
 */
#ifndef RANK_H
#define RANK_H

#include "config.h"
#include "stage.h"

struct journal;

/*
 * A new stage over config c (borrowed; it must outlive the stage).
 * Unknown models are SK_DATA.  0, or -1 with e filled.
 */
int	 rank_stage_new(struct stage **, const struct config *,
	    struct sk_err *);

/*
 * The same over journal j (borrowed; NULL for none), where models that
 * keep state across runs (momentum's rate limits) load it and, at the
 * end of the input, save it.
 */
int	 rank_stage_open(struct stage **, const struct config *,
	    struct journal *, struct sk_err *);

/*
 * The EMA-cloud model on one bar: +1 long, -1 short, 0 none.  The
 * volume test is exact integer arithmetic on vol_sum<N>.  Pure.
 */
int	 rank_ema_cloud(const struct cfg_strategy *, const struct bar *,
	    double *);

/*
 * What a model decided on one bar.  The stage clears it before each
 * call; side 0 is no signal.  tier is "A", "B" or the trigger's name;
 * score is 0..100; prob is NAN unless the model has one; reasons are
 * sentences a person reads, the observed values in them.
 */
struct rank_call {
	int		 side;		/* +1 long, -1 short, 0 none */
	char		 tier[8];
	double		 score;
	double		 prob;
	int		 nreasons;
	char		 reasons[REC_REASONS][REC_TEXT];
};

/* Append a printf-formatted reason to c; ignored when it is full. */
void	 rank_reason(struct rank_call *, const char *, ...)
	    SK_PRINTF(2, 3);

/*
 * A signal model.  mask names the record types it reads besides bars
 * (they are decoded for it only then).  new() sets up its state from c
 * and the journal (both borrowed; the journal may be NULL) into *self;
 * see() is shown every decoded record of a listed symbol in mask,
 * before it passes on; bar() decides on one bar into call; save(), at
 * the end of the input, saves what must outlive the run.  Each returns
 * 0 or -1 with e filled; see and save may be NULL.  free() frees what
 * new() made.
 */
struct rank_model {
	const char	*name;
	unsigned	 mask;	/* REC_MASK()s it reads besides bars */
	int		(*new)(void **, const struct config *,
			    struct journal *, struct sk_err *);
	int		(*see)(void *, const struct rec *, struct sk_err *);
	int		(*bar)(void *, const struct bar *, struct rank_call *,
			    struct sk_err *);
	int		(*save)(void *, struct sk_err *);
	void		(*free)(void *);
};

extern const struct rank_model	model_ema_cloud;	/* model_ema.c */
extern const struct rank_model	model_turbo;		/* model_turbo.c */
extern const struct rank_model	model_momentum;	/* model_momentum.c */

#endif
