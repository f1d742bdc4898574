package main

import (
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm"
)

// User is one row of Users, keyed by user name. State is indexed, so users
// can be found by state (and, within a state, filtered by birth year).
type User struct {
	Username string    `cass:",key"`
	Name     string    `cass:"name"`
	State    string    `cass:"state,index"`
	BirthYr  int64     `cass:"birth_year"`
	Joined   time.Time `cass:"joined"`
}

// CFName names the column family (orm.Model would use "User" otherwise).
func (User) CFName() string { return "Users" }

// Tweet is one row of Tweets, keyed by a TimeUUID: the key alone says when
// it was posted.
type Tweet struct {
	ID   uuid.UUID `cass:",key,type=TimeUUID"`
	User string    `cass:"user"`
	Body string    `cass:"body"`
}

// CFName names the column family.
func (Tweet) CFName() string { return "Tweets" }

// Posted is when the tweet was posted, read back from its TimeUUID.
func (t Tweet) Posted() time.Time {
	at, _ := codec.TimeFromUUID(t.ID) // every ID here is a v1 UUID
	return at
}

// Counts is one row of the counter column family Counts: a user's totals,
// changed with Mapper.Add, never written whole.
type Counts struct {
	Username  string `cass:",key"`
	Tweets    int64  `cass:"tweets,type=Counter"`
	Followers int64  `cass:"followers,type=Counter"`
	Following int64  `cass:"following,type=Counter"`
}

// CFName names the column family.
func (Counts) CFName() string { return "Counts" }

// DayTweet is one super column of the super column family TweetsByDay: the
// row is a day ("2011-06-01"), each super column a tweet of that day named
// by its TimeUUID, holding who wrote it and what.
type DayTweet struct {
	Day  string    `cass:",key"`
	ID   uuid.UUID `cass:",super,type=TimeUUID"`
	User string    `cass:"user"`
	Body string    `cass:"body"`
}

// CFName names the column family.
func (DayTweet) CFName() string { return "TweetsByDay" }

// Wide rows have no struct: their column names are data (a tweet's
// TimeUUID, a user name), so their shape is given as a plain orm.ModelDef.
func wideRow(name string, comparator, values codec.Type) orm.ModelDef {
	return orm.ModelDef{Name: name, Comparator: comparator, KeyValidation: codec.UTF8, DefaultValidation: values}
}

// schema lists every column family the program uses, for migrate.PlanModels.
func schema() []orm.ModelDef {
	return []orm.ModelDef{
		orm.Model[User](),
		orm.Model[Tweet](),
		orm.Model[Counts](),
		orm.Model[DayTweet](),
		wideRow("Userline", codec.TimeUUID, codec.UTF8), // a user's tweets: tweet ID -> author
		wideRow("Timeline", codec.TimeUUID, codec.UTF8), // what a user reads: the same, fanned out
		wideRow("Following", codec.UTF8, codec.Date),    // whom a user follows -> since when
		wideRow("Followers", codec.UTF8, codec.Date),    // who follows a user -> since when
	}
}

// Over CQL, the wide rows and the super column family above become tables
// with clustering columns: typed rows, one partition per user or day, in
// clustering order. User, Tweet and Counts are the same models on both
// transports.

// TimelineEntry is one row of the CQL table Timeline: the partition is the
// reader, each row a tweet, newest first (posted is a descending
// clustering column). The author and body are copied in, so a timeline is
// read with one query.
type TimelineEntry struct {
	User   string    `cass:"user,partition"`
	Posted uuid.UUID `cass:"posted,clustering=desc,type=timeuuid"`
	Author string    `cass:"author"`
	Body   string    `cass:"body"`
}

// CFName names the table.
func (TimelineEntry) CFName() string { return "Timeline" }

// Tweet is the tweet the entry holds.
func (e TimelineEntry) Tweet() Tweet { return Tweet{ID: e.Posted, User: e.Author, Body: e.Body} }

// UserlineEntry is one row of the CQL table Userline, a user's own tweets:
// the shape of a timeline entry (the same fields and tags), in a table of
// its own.
type UserlineEntry TimelineEntry

// CFName names the table.
func (UserlineEntry) CFName() string { return "Userline" }

// Following is one row of the CQL table Following: User follows Other
// since Since. Other is a clustering column, so a user's row holds whom
// they follow in name order.
type Following struct {
	User  string    `cass:"user,partition"`
	Other string    `cass:"other,clustering"`
	Since time.Time `cass:"since"`
}

// CFName names the table.
func (Following) CFName() string { return "Following" }

// Follower is one row of the CQL table Followers: Other follows User.
type Follower Following

// CFName names the table.
func (Follower) CFName() string { return "Followers" }

// DayEntry is one row of the CQL table TweetsByDay: the partition is a day,
// each row a tweet of that day in time order, as DayTweet is on Thrift
// (where each tweet is a super column).
type DayEntry struct {
	Day  string    `cass:"day,partition"`
	ID   uuid.UUID `cass:"id,clustering,type=timeuuid"`
	User string    `cass:"user"`
	Body string    `cass:"body"`
}

// CFName names the table.
func (DayEntry) CFName() string { return "TweetsByDay" }

// cqlSchema lists every table the program uses over CQL, for
// migrate.PlanCQLModels.
func cqlSchema() []orm.ModelDef {
	return []orm.ModelDef{
		orm.Model[User](),
		orm.Model[Tweet](),
		orm.Model[Counts](),
		orm.Model[DayEntry](),
		orm.Model[UserlineEntry](),
		orm.Model[TimelineEntry](),
		orm.Model[Following](),
		orm.Model[Follower](),
	}
}
