package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
)

// ThriftApp is Twissandra's data layer over Thrift: mappers for the
// modelled column families and dynamic column families for the wide rows.
type ThriftApp struct {
	pool   *pool.Pool
	users  *orm.Mapper[User, string]
	tweets *orm.Mapper[Tweet, uuid.UUID]
	counts *orm.Mapper[Counts, string]
	byDay  *orm.Mapper[DayTweet, string]

	userline, timeline, following, followers *columnfamily.ColumnFamily
}

// OpenThrift returns the ThriftApp over db, whose keyspace already has the
// schema. Opening the mappers now makes a model that does not fit its
// column family fail here rather than on the first request.
func OpenThrift(ctx context.Context, db *pool.Pool) (*ThriftApp, error) {
	a := &ThriftApp{pool: db}
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
	if a.byDay, err = orm.Open[DayTweet, string](ctx, db, "TweetsByDay"); err != nil {
		return nil, err
	}
	for name, cf := range map[string]**columnfamily.ColumnFamily{
		"Userline": &a.userline, "Timeline": &a.timeline, "Following": &a.following, "Followers": &a.followers,
	} {
		if *cf, err = columnfamily.Open(ctx, db, name); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// AddUser registers a user.
func (a *ThriftApp) AddUser(ctx context.Context, u User) error {
	return a.users.Insert(ctx, &u)
}

// Register adds u only if no user of that name exists yet, atomically:
// Thrift's cas expecting no column. When the name is taken it reports
// false and the user who holds it.
func (a *ThriftApp) Register(ctx context.Context, u User) (bool, User, error) {
	return a.users.InsertIfNotExists(ctx, &u)
}

// Layout says how this app stores each thing the demo prints.
func (a *ThriftApp) Layout() Layout {
	return Layout{
		Timeline: "Timeline wide row, TimeUUID column names",
		Userline: "Userline wide row",
		Index:    "secondary index on state",
		Day:      "TweetsByDay super column family, a super column per tweet",
		Counts:   "Counts counter column family",
		Register: "cas expecting no column",
	}
}

// Follow makes who follow whom: one batch writes both directions of the
// edge, then the counters move.
func (a *ThriftApp) Follow(ctx context.Context, who, whom string, since time.Time) error {
	b := columnfamily.NewMutator(a.pool)
	if _, err := b.Insert(ctx, a.following, who, columnfamily.Cols{whom: since}); err != nil {
		return err
	}
	if _, err := b.Insert(ctx, a.followers, whom, columnfamily.Cols{who: since}); err != nil {
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

// Post stores a tweet and fans it out: the tweet itself, the author's
// userline, the timelines of the author and of every follower, and the
// day's super column, all in one batch.
func (a *ThriftApp) Post(ctx context.Context, user, body string, at time.Time) (Tweet, error) {
	id, err := codec.RandomTimeUUID(at)
	if err != nil {
		return Tweet{}, err
	}
	t := Tweet{ID: id, User: user, Body: body}
	entry := columnfamily.Cols{id: user}

	b := columnfamily.NewMutator(a.pool, columnfamily.QueueSize(columnfamily.NoAutoSend))
	if err := a.tweets.Queue(ctx, b, &t); err != nil {
		return Tweet{}, err
	}
	if err := a.byDay.Queue(ctx, b, &DayTweet{Day: at.UTC().Format(time.DateOnly), ID: id, User: user, Body: body}); err != nil {
		return Tweet{}, err
	}
	readers := []string{user}
	for f, err := range a.Followers(ctx, user) {
		if err != nil {
			return Tweet{}, err
		}
		readers = append(readers, f)
	}
	if _, err := b.Insert(ctx, a.userline, user, entry); err != nil {
		return Tweet{}, err
	}
	for _, r := range readers {
		if _, err := b.Insert(ctx, a.timeline, r, entry); err != nil {
			return Tweet{}, err
		}
	}
	if err := b.Send(ctx); err != nil {
		return Tweet{}, err
	}
	return t, a.counts.Add(ctx, user, "tweets", 1)
}

// Followers iterates over the users who follow user, by name, a page at a
// time however many there are.
func (a *ThriftApp) Followers(ctx context.Context, user string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for col, err := range a.followers.XGet(ctx, user, query.Select{}) {
			if err != nil {
				yield("", err)
				return
			}
			name, ok := col.Name.(string)
			if !ok {
				yield("", fmt.Errorf("Followers: column name %v is not text", col.Name))
				return
			}
			if !yield(name, nil) {
				return
			}
		}
	}
}

// Timeline returns the newest n tweets user reads, newest first.
func (a *ThriftApp) Timeline(ctx context.Context, user string, n int) ([]Tweet, error) {
	return a.line(ctx, a.timeline, user, n)
}

// Userline returns the newest n tweets user wrote, newest first.
func (a *ThriftApp) Userline(ctx context.Context, user string, n int) ([]Tweet, error) {
	return a.line(ctx, a.userline, user, n)
}

// line reads the newest n tweet IDs of a wide row (a reversed slice of
// TimeUUID column names) and then the tweets themselves with one MultiGet.
func (a *ThriftApp) line(ctx context.Context, cf *columnfamily.ColumnFamily, user string, n int) ([]Tweet, error) {
	row, err := cf.Get(ctx, user, query.Select{}.Reversed().PerPartitionLimit(n))
	if errors.Is(err, cassa.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, len(row.Columns))
	for i, c := range row.Columns {
		id, ok := c.Name.(uuid.UUID)
		if !ok {
			return nil, fmt.Errorf("%s: column name %v is not a TimeUUID", cf.Name(), c.Name)
		}
		ids[i] = id
	}
	return a.tweets.MultiGet(ctx, ids)
}

// UsersIn finds the users of a state born after a year, through the state
// index: Cassandra needs one equality on an indexed column, and filters
// the rows it finds by the other conditions.
func (a *ThriftApp) UsersIn(ctx context.Context, state string, bornAfter int) ([]User, query.Select, error) {
	q := query.Where("state").Eq(state).And("birth_year").Gt(int64(bornAfter)).Limit(50)
	var out []User
	for u, err := range a.users.Find(ctx, q) {
		if err != nil {
			return nil, q, err
		}
		out = append(out, u)
	}
	return out, q, nil
}

// Day returns the tweets of one day from the super column family, in time
// order: one DayTweet per super column.
func (a *ThriftApp) Day(ctx context.Context, day string) ([]DayTweet, error) {
	ts, err := a.byDay.GetSuper(ctx, day)
	if errors.Is(err, cassa.ErrNotFound) {
		return nil, nil
	}
	return ts, err
}

// Counts returns a user's counters; a user nothing happened to has zeros.
func (a *ThriftApp) Counts(ctx context.Context, user string) (Counts, error) {
	return a.counts.Get(ctx, user, orm.MissingAsZero())
}

// Reset empties every column family of the demo, so that a run against a
// real cluster prints the same as the first one.
func (a *ThriftApp) Reset(ctx context.Context) error {
	for _, m := range []interface {
		ColumnFamily(context.Context) (*columnfamily.ColumnFamily, error)
	}{a.users, a.tweets, a.counts, a.byDay} {
		cf, err := m.ColumnFamily(ctx)
		if err != nil {
			return err
		}
		if m == a.counts {
			// Cassandra 3.x refuses to truncate a counter column family
			// through Thrift; its rows are deleted instead (a row deletion
			// hides the counts before it, and later increments count
			// from zero).
			if err := removeRows(ctx, cf); err != nil {
				return fmt.Errorf("empty %s: %w", cf.Name(), err)
			}
			continue
		}
		if err := cf.Truncate(ctx); err != nil {
			return fmt.Errorf("truncate %s: %w", cf.Name(), err)
		}
	}
	for _, cf := range []*columnfamily.ColumnFamily{a.userline, a.timeline, a.following, a.followers} {
		if err := cf.Truncate(ctx); err != nil {
			return fmt.Errorf("truncate %s: %w", cf.Name(), err)
		}
	}
	return nil
}

// removeRows deletes every row of cf.
func removeRows(ctx context.Context, cf *columnfamily.ColumnFamily) error {
	var keys []any
	for row, err := range cf.GetRange(ctx, query.Select{}) {
		if err != nil {
			return err
		}
		keys = append(keys, row.Key)
	}
	for _, k := range keys {
		if _, err := cf.Remove(ctx, k, query.Select{}); err != nil {
			return err
		}
	}
	return nil
}
