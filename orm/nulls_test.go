package orm_test

import (
	"testing"

	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/orm/tags"
)

// Profile has a field of each kind of empty value and null= choice.
type Profile struct {
	Key   string  `cass:",key"`
	Nick  *string `cass:"nick"`                     // nullable, no choice: skip unless a call or the mapper says
	Note  *string `cass:"note,null=delete"`         // nil deletes the column
	Tag   string  `cass:"tag,null=delete"`          // "" deletes the column
	Level int64   `cass:"level,null=skip"`          // 0 leaves the column as it was, whatever the call says
	Bio   *string `cass:"bio,null=write"`           // always written: nil as a deletion
	Code  string  `cass:"code,omitempty"`           // "" is empty: skipped unless a call or the mapper says
	Age   int64   `cass:"age"`                      // a value field: 0 is written
	Mood  string  `cass:"mood,omitempty,null=skip"` // omitempty with an explicit choice
}

func fullProfile(key string) *Profile {
	s := func(v string) *string { return &v }
	return &Profile{Key: key, Nick: s("n"), Note: s("x"), Tag: "t", Level: 3, Bio: s("b"), Code: "c", Age: 40, Mood: "m"}
}

// Re-inserting an instance whose nullable fields are nil, or whose
// omitempty fields are empty, leaves the old columns by default, and
// deletes them when asked: per field (null=), per call, per mapper.
func TestNulls(t *testing.T) {
	e := newEnv(t)
	profiles := orm.Map[Profile, string](e.pool, "Plain")
	cleared := func(key string) *Profile { return &Profile{Key: key} }
	all := []string{"age", "bio", "code", "level", "mood", "nick", "note", "tag"}

	// The default: the tag's choices, everything else skipped.
	noErr(t, profiles.Insert(bg, fullProfile("default")))
	equal(t, "written whole", e.columnNames(t, "Plain", "default"), all)
	noErr(t, profiles.Insert(bg, cleared("default")))
	equal(t, "default", e.columnNames(t, "Plain", "default"), []string{"age", "code", "level", "mood", "nick"})
	got := must[Profile](t)(profiles.Get(bg, "default"))
	if got.Age != 0 || got.Nick == nil || *got.Nick != "n" || got.Code != "c" || got.Level != 3 {
		t.Fatalf("after the default re-insert: %+v", got)
	}

	// Per call: the untagged nullable and omitempty fields are deleted too;
	// level keeps its null=skip.
	noErr(t, profiles.Insert(bg, fullProfile("call")))
	noErr(t, profiles.Insert(bg, cleared("call"), orm.Nulls(tags.NullDelete)))
	equal(t, "call", e.columnNames(t, "Plain", "call"), []string{"age", "level", "mood"})
	equal(t, "read back", must[Profile](t)(profiles.Get(bg, "call")), Profile{Key: "call", Level: 3, Mood: "m"})

	// Per mapper, and a call's choice over the mapper's.
	clearing := orm.Map[Profile, string](e.pool, "Plain", orm.Nulls(tags.NullDelete))
	noErr(t, clearing.Insert(bg, fullProfile("mapper")))
	noErr(t, clearing.Insert(bg, cleared("mapper")))
	equal(t, "mapper", e.columnNames(t, "Plain", "mapper"), []string{"age", "level", "mood"})
	noErr(t, clearing.Insert(bg, fullProfile("override")))
	noErr(t, clearing.Insert(bg, cleared("override"), orm.Nulls(tags.NullSkip)))
	equal(t, "call over mapper", e.columnNames(t, "Plain", "override"), []string{"age", "code", "level", "mood", "nick"})

	// NullWrite: every value is written, zero values as such, nil as a
	// deletion.
	noErr(t, profiles.Insert(bg, fullProfile("write")))
	noErr(t, profiles.Insert(bg, cleared("write"), orm.Nulls(tags.NullWrite)))
	equal(t, "write", e.columnNames(t, "Plain", "write"), []string{"age", "code", "level", "mood"})
	equal(t, "write read back", must[Profile](t)(profiles.Get(bg, "write")), Profile{Key: "write", Level: 3, Mood: "m"})

	// Fields limits the deletions as it limits the writes.
	noErr(t, profiles.Insert(bg, fullProfile("fields")))
	noErr(t, profiles.Insert(bg, cleared("fields"), orm.Nulls(tags.NullDelete), orm.Fields("nick")))
	equal(t, "fields", e.columnNames(t, "Plain", "fields"), []string{"age", "bio", "code", "level", "mood", "note", "tag"})

	// In a batch and a super column family alike.
	noErr(t, profiles.BatchInsert(bg, []*Profile{fullProfile("b1"), fullProfile("b2")}))
	noErr(t, profiles.BatchInsert(bg, []*Profile{cleared("b1"), cleared("b2")}, orm.Nulls(tags.NullDelete)))
	equal(t, "batch", e.columnNames(t, "Plain", "b2"), []string{"age", "level", "mood"})
	type Post struct {
		User string  `cass:",key"`
		Day  string  `cass:",super"`
		Body *string `cass:"body,null=delete"`
		Seen bool    `cass:"seen"`
	}
	posts := orm.Map[Post, string](e.pool, "SuperText")
	body := "hello"
	noErr(t, posts.Insert(bg, &Post{User: "u", Day: "d1", Body: &body, Seen: true}))
	noErr(t, posts.Insert(bg, &Post{User: "u", Day: "d1"}))
	equal(t, "super", must[Post](t)(posts.Get(bg, "u", orm.Super("d1"))), Post{User: "u", Day: "d1"})
}
