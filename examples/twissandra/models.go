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
