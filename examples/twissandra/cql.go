package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
)

// CQLApp is Twissandra's data layer over CQL: the same User, Tweet and
// Counts models as over Thrift, and tables with clustering columns where
// Thrift has wide rows and a super column family.
type CQLApp struct {
	db        *cql.Session
	users     *orm.Mapper[User, string]
	tweets    *orm.Mapper[Tweet, uuid.UUID]
	counts    *orm.Mapper[Counts, string]
	byDay     *orm.Mapper[DayEntry, DayEntry]
	userline  *orm.Mapper[UserlineEntry, UserlineEntry]
	timeline  *orm.Mapper[TimelineEntry, TimelineEntry]
	following *orm.Mapper[Following, Following]
	followers *orm.Mapper[Follower, Follower]
}

// OpenCQL returns the CQLApp over db, whose keyspace already has the
// tables. Each mapper is opened now, so that a model that does not fit
// its table fails here rather than on the first request.
func OpenCQL(ctx context.Context, db *cql.Session) (*CQLApp, error) {
	a := &CQLApp{db: db}
	var err error
	if a.users, err = orm.Open[User, string](ctx, db, "Users"); err != nil {
		return nil, err
	}
	if a.tweets, err = orm.Open[Tweet, uuid.UUID](ctx, db, "Tweets"); err != nil {
		return nil, err
	}
	if a.counts, err = orm.Open[Counts, string](ctx, db, "Counts"); err != nil {
		return nil, err
	}
	// A model with clustering columns names its rows by the whole primary
	// key, so its key type is the struct itself.
	if a.byDay, err = orm.Open[DayEntry, DayEntry](ctx, db, "TweetsByDay"); err != nil {
		return nil, err
	}
	if a.userline, err = orm.Open[UserlineEntry, UserlineEntry](ctx, db, "Userline"); err != nil {
		return nil, err
	}
	if a.timeline, err = orm.Open[TimelineEntry, TimelineEntry](ctx, db, "Timeline"); err != nil {
		return nil, err
	}
	if a.following, err = orm.Open[Following, Following](ctx, db, "Following"); err != nil {
		return nil, err
	}
	if a.followers, err = orm.Open[Follower, Follower](ctx, db, "Followers"); err != nil {
		return nil, err
	}
	return a, nil
}

// Layout says how this app stores each thing the demo prints.
func (a *CQLApp) Layout() Layout {
	return Layout{
		Timeline: "Timeline table, clustering column posted timeuuid DESC",
		Userline: "Userline table, the same shape",
		Index:    "secondary index on state, the rest filtered",
		Day:      "TweetsByDay table, clustering column id timeuuid",
		Counts:   "Counts counter table",
		Register: "INSERT ... IF NOT EXISTS, a lightweight transaction",
	}
}

// AddUser registers a user, refusing a name that is taken: over CQL every
// sign-up is a lightweight transaction.
func (a *CQLApp) AddUser(ctx context.Context, u User) error {
	ok, cur, err := a.Register(ctx, u)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("user name %q is taken by %s", u.Username, cur.Name)
	}
	return nil
}

// Register adds u only if no user of that name exists yet, atomically
// (INSERT ... IF NOT EXISTS). When the name is taken it reports false and
// the user who holds it, as Cassandra returned it.
func (a *CQLApp) Register(ctx context.Context, u User) (bool, User, error) {
	return a.users.InsertIfNotExists(ctx, &u)
}

// Follow makes who follow whom: one logged batch writes both directions
// of the edge (two partitions of two tables), then the counters move.
func (a *CQLApp) Follow(ctx context.Context, who, whom string, since time.Time) error {
	b := orm.NewBatch(a.db)
	if err := a.following.Queue(ctx, b, &Following{User: who, Other: whom, Since: since}); err != nil {
		return err
	}
	if err := a.followers.Queue(ctx, b, &Follower{User: whom, Other: who, Since: since}); err != nil {
		return err
	}
	if err := b.Send(ctx); err != nil {
		return err
	}
	if err := a.counts.Add(ctx, who, "following", 1); err != nil {
		return err
	}
	return a.counts.Add(ctx, whom, "followers", 1)
}

// Post stores a tweet and fans it out in one logged batch: the tweet
// itself, the day's row, the author's userline, and a copy in the
// timeline of the author and of every follower.
func (a *CQLApp) Post(ctx context.Context, user, body string, at time.Time) (Tweet, error) {
	id, err := codec.RandomTimeUUID(at)
	if err != nil {
		return Tweet{}, err
	}
	t := Tweet{ID: id, User: user, Body: body}
	readers := []string{user}
	for f, err := range a.followers.Find(ctx, query.Where("user").Eq(user)) {
		if err != nil {
			return Tweet{}, err
		}
		readers = append(readers, f.Other)
	}

	b := orm.NewBatch(a.db, orm.QueueSize(orm.NoAutoSend))
	if err := a.tweets.Queue(ctx, b, &t); err != nil {
		return Tweet{}, err
	}
	if err := a.byDay.Queue(ctx, b, &DayEntry{Day: at.UTC().Format(time.DateOnly), ID: id, User: user, Body: body}); err != nil {
		return Tweet{}, err
	}
	entry := TimelineEntry{Posted: id, Author: user, Body: body}
	own := UserlineEntry(entry)
	own.User = user
	if err := a.userline.Queue(ctx, b, &own); err != nil {
		return Tweet{}, err
	}
	for _, r := range readers {
		e := entry
		e.User = r
		if err := a.timeline.Queue(ctx, b, &e); err != nil {
			return Tweet{}, err
		}
	}
	if err := b.Send(ctx); err != nil {
		return Tweet{}, err
	}
	return t, a.counts.Add(ctx, user, "tweets", 1)
}

// Timeline returns the newest n tweets user reads, newest first: the
// first n rows of one partition, in its clustering order.
func (a *CQLApp) Timeline(ctx context.Context, user string, n int) ([]Tweet, error) {
	var out []Tweet
	for e, err := range a.timeline.Find(ctx, query.Where("user").Eq(user).Limit(n)) {
		if err != nil {
			return nil, err
		}
		out = append(out, e.Tweet())
	}
	return out, nil
}

// Userline returns the newest n tweets user wrote, newest first.
func (a *CQLApp) Userline(ctx context.Context, user string, n int) ([]Tweet, error) {
	var out []Tweet
	for e, err := range a.userline.Find(ctx, query.Where("user").Eq(user).Limit(n)) {
		if err != nil {
			return nil, err
		}
		out = append(out, TimelineEntry(e).Tweet())
	}
	return out, nil
}

// UsersIn finds the users of a state born after a year. CQL asks for
// ALLOW FILTERING where Thrift's index query filtered silently: the index
// finds the state's users, and each is then checked for the year.
func (a *CQLApp) UsersIn(ctx context.Context, state string, bornAfter int) ([]User, query.Select, error) {
	q := query.Where("state").Eq(state).And("birth_year").Gt(int64(bornAfter)).Limit(50).AllowFiltering()
	var out []User
	for u, err := range a.users.Find(ctx, q) {
		if err != nil {
			return nil, q, err
		}
		out = append(out, u)
	}
	return out, q, nil
}

// Day returns the tweets of one day in time order: one partition of
// TweetsByDay.
func (a *CQLApp) Day(ctx context.Context, day string) ([]DayTweet, error) {
	var out []DayTweet
	for e, err := range a.byDay.Find(ctx, query.Where("day").Eq(day)) {
		if err != nil {
			return nil, err
		}
		out = append(out, DayTweet(e))
	}
	return out, nil
}

// Counts returns a user's counters; a user nothing happened to has zeros.
func (a *CQLApp) Counts(ctx context.Context, user string) (Counts, error) {
	return a.counts.Get(ctx, user, orm.MissingAsZero())
}

// Reset empties every table of the demo (TRUNCATE, which CQL allows on
// counter tables too), so that a run against a real cluster prints the
// same as the first one.
func (a *CQLApp) Reset(ctx context.Context) error {
	for _, d := range cqlSchema() {
		if err := a.db.Exec(ctx, "TRUNCATE "+quote(d.Name)); err != nil {
			return fmt.Errorf("truncate %s: %w", d.Name, err)
		}
	}
	return nil
}

// quote makes a CQL identifier of name, keeping its case.
func quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
