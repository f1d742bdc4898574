package orm_test

import (
	"fmt"
	"testing"

	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
)

// Find reads every row its select matches unless the select sets a Limit:
// an index query, whose Thrift default is 100 rows, as well as a scan.
func TestFindReadsEverythingWithoutLimit(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	var batch []*User
	for i := range 150 {
		u := sampleUser(fmt.Sprintf("u%03d", i), "UT", 1980)
		batch = append(batch, &u)
	}
	noErr(t, users.BatchInsert(bg, batch))
	for _, tc := range []struct {
		name string
		q    query.Select
		opts []orm.CallOption
		want int
	}{
		{"index query", query.Where("state").Eq("UT"), nil, 150},
		{"index query, small pages", query.Where("state").Eq("UT"), []orm.CallOption{orm.BufferSize(40)}, 150},
		{"index query with a limit", query.Where("state").Eq("UT").Limit(120), nil, 120},
		{"scan", query.Select{}, nil, 150},
		{"filtered scan", query.Where("state").Eq("UT").AllowFiltering(), []orm.CallOption{orm.BufferSize(40)}, 150},
		{"scan with a limit", query.Select{}.Limit(7), nil, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			equal(t, "rows", len(drain(t, users.Find(bg, tc.q, tc.opts...))), tc.want)
		})
	}
}
