package server_test

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Audit: composite slice bounds with end-of-component bytes (§3.5) and
// DynamicCompositeType ordering across component types.

// compositeName encodes a CompositeType name whose last component carries eoc
// (the others carry 0).
func compositeName(eoc byte, parts ...string) []byte {
	var out []byte
	for i, p := range parts {
		out = append(out, byte(len(p)>>8), byte(len(p)))
		out = append(out, p...)
		if i == len(parts)-1 {
			out = append(out, eoc)
		} else {
			out = append(out, 0)
		}
	}
	return out
}

// dynamicComponent is one DynamicCompositeType component: alias (a byte) or a type
// name, a value and an end-of-component byte.
type dynamicComponent struct {
	alias byte
	typ   string
	value []byte
}

func dynamicCompositeName(comps ...dynamicComponent) []byte {
	var out []byte
	for _, c := range comps {
		if c.typ == "" {
			out = append(out, 0x80, c.alias)
		} else {
			out = append(out, byte(len(c.typ)>>8), byte(len(c.typ)))
			out = append(out, c.typ...)
		}
		out = append(out, byte(len(c.value)>>8), byte(len(c.value)))
		out = append(out, c.value...)
		out = append(out, 0)
	}
	return out
}

func TestAuditCompositeSliceBounds(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("StandardComposite")
	label := map[string]string{}
	for _, n := range [][]string{{"a"}, {"a", "x"}, {"a", "y"}, {"b"}, {"b", "x"}, {"c", "x"}} {
		name := compositeName(0, n...)
		label[string(name)] = strings.Join(n, ".")
		c.insert(t, "k", p, bcol(name, "v", 1))
	}
	slice := func(start, finish []byte, reversed bool) (string, error) {
		res, err := c.GetSlice(ctx, []byte("k"), p, columnRangeBytes(start, finish, reversed, 100), ONE)
		if err != nil {
			return "", err
		}
		var out []string
		for _, r := range res {
			out = append(out, label[string(r.Column.Name)])
		}
		return strings.Join(out, " "), nil
	}
	const ff = 0xff
	for _, tc := range []struct {
		name          string
		start, finish []byte
		reversed      bool
		want          string
	}{
		{"all", nil, nil, false, "a a.x a.y b b.x c.x"},
		{"start a/0", compositeName(0, "a"), nil, false, "a a.x a.y b b.x c.x"},
		{"start a/-1", compositeName(ff, "a"), nil, false, "a a.x a.y b b.x c.x"},
		{"start a/1 skips the prefix", compositeName(1, "a"), nil, false, "b b.x c.x"},
		{"finish a/0 exact prefix only", nil, compositeName(0, "a"), false, "a"},
		{"finish a/1 whole prefix", nil, compositeName(1, "a"), false, "a a.x a.y"},
		{"finish a/-1 excludes", nil, compositeName(ff, "a"), false, ""},
		{"finish b/0", nil, compositeName(0, "b"), false, "a a.x a.y b"},
		{"a.x only", compositeName(0, "a", "x"), compositeName(1, "a", "x"), false, "a.x"},
		{"after a.x", compositeName(1, "a", "x"), compositeName(1, "b"), false, "a.y b b.x"},
		{"prefix b", compositeName(0, "b"), compositeName(1, "b"), false, "b b.x"},
		{"reversed b/1 to a/0", compositeName(1, "b"), compositeName(0, "a"), true, "b.x b a.y a.x a"},
		{"reversed to a/1", nil, compositeName(1, "a"), true, "c.x b.x b"},
		{"reversed from a/0", compositeName(0, "a"), nil, true, "a"},
		{"reversed from a/1", compositeName(1, "a"), nil, true, "a.y a.x a"},
	} {
		got, err := slice(tc.start, tc.finish, tc.reversed)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s: got %q want %q", tc.name, got, tc.want)
		}
	}
	// Traversal order includes the EOC: a/1 comes after a/0.
	for _, tc := range []struct {
		start, finish []byte
		reversed      bool
	}{
		{compositeName(1, "a"), compositeName(0, "a"), false},
		{compositeName(0, "a"), compositeName(ff, "a"), false},
		{compositeName(ff, "a"), compositeName(1, "a"), true},
		{compositeName(0, "a"), compositeName(0, "a", "x"), true},
	} {
		_, err := slice(tc.start, tc.finish, tc.reversed)
		mustIRE(t, err, "range finish must come after start in the order of traversal")
	}
	// column_names with composites: comparator order, duplicates collapse.
	res, err := c.GetSlice(ctx, []byte("k"), p, byteNames(compositeName(0, "b"), compositeName(0, "a", "x"), compositeName(0, "b")), ONE)
	must(t, err)
	if len(res) != 2 || label[string(res[0].Column.Name)] != "a.x" {
		t.Fatalf("composite column_names: %v", res)
	}
	// get_multi_slice applies the same bounds.
	ms := tg.NewMultiSliceRequest()
	ms.Key, ms.ColumnParent = []byte("k"), p
	ms.ColumnSlices = []*tg.ColumnSlice{{Finish: compositeName(0, "a")}, {Start: compositeName(1, "a"), Finish: compositeName(0, "b")}}
	got, err := c.GetMultiSlice(ctx, ms)
	must(t, err)
	if len(got) != 2 || label[string(got[0].Column.Name)] != "a" || label[string(got[1].Column.Name)] != "b" {
		var ls []string
		for _, r := range got {
			ls = append(ls, label[string(r.Column.Name)])
		}
		t.Fatalf("multi slice with EOC bounds: %v", ls)
	}
	// Validation of composite names.
	for _, tc := range []struct {
		name []byte
		why  string
	}{
		{compositeName(0, "a", "b", "c"), "Too many bytes for comparator"},
		{[]byte{0}, "Not enough bytes to read value size of component 0"},
		{[]byte{0, 5, 'a'}, "Not enough bytes to read value of component 0"},
		{[]byte{0, 1, 'a'}, "Not enough bytes to read the end-of-component byte of component0"},
		{append(compositeName(1, "a"), compositeName(0, "b")...), "Invalid bytes remaining after an end-of-component at component0"},
	} {
		err := c.Insert(ctx, []byte("k"), p, bcol(tc.name, "v", 1), ONE)
		mustIRE(t, err, tc.why)
	}
}

func TestAuditDynamicCompositeOrder(t *testing.T) {
	c := dtestClient(t, server.Config{})
	d := cfDef("Keyspace1", "Dyn")
	d.ComparatorType = "DynamicCompositeType(a=>AsciiType,b=>BytesType,l=>LongType)"
	_, err := c.SystemAddColumnFamily(ctx, d)
	must(t, err)
	p := parent("Dyn")
	names := map[string][]byte{
		"a:z":     dynamicCompositeName(dynamicComponent{alias: 'a', value: []byte("z")}),
		"l:-1":    dynamicCompositeName(dynamicComponent{alias: 'l', value: longBytes(-1)}),
		"b:00":    dynamicCompositeName(dynamicComponent{alias: 'b', value: []byte{0}}),
		"a:b":     dynamicCompositeName(dynamicComponent{alias: 'a', value: []byte("b")}),
		"Ascii:c": dynamicCompositeName(dynamicComponent{typ: "AsciiType", value: []byte("c")}),
		"l:5":     dynamicCompositeName(dynamicComponent{alias: 'l', value: longBytes(5)}),
		"a:b,l:1": dynamicCompositeName(dynamicComponent{alias: 'a', value: []byte("b")}, dynamicComponent{alias: 'l', value: longBytes(1)}),
	}
	label := map[string]string{}
	for l, n := range names {
		label[string(n)] = l
		c.insert(t, "k", p, bcol(n, "v", 1))
	}
	res := c.bigSlice(t, "k", p)
	var got []string
	for _, r := range res {
		l, ok := label[string(r.Column.Name)]
		if !ok {
			l = hex.EncodeToString(r.Column.Name)
		}
		got = append(got, l)
	}
	// Different types order by class simple name: AsciiType < BytesType <
	// LongType; an alias and the type's name are the same type.
	want := "a:b a:b,l:1 Ascii:c a:z b:00 l:-1 l:5"
	if strings.Join(got, " ") != want {
		t.Fatalf("dynamic composite order: %s, want %s", strings.Join(got, " "), want)
	}
	// The alias and the full type name for the same value are one column.
	c.insert(t, "k", p, bcol(dynamicCompositeName(dynamicComponent{typ: "AsciiType", value: []byte("z")}), "w", 2))
	if n := len(c.bigSlice(t, "k", p)); n != 7 {
		t.Fatalf("alias vs type name made a new column: %d columns", n)
	}
	err = c.Insert(ctx, []byte("k"), p, bcol(dynamicCompositeName(dynamicComponent{alias: 'q', value: []byte("x")}), "v", 1), ONE)
	var ire *tg.InvalidRequestException
	if !errors.As(err, &ire) || !strings.Contains(ire.Why, "component 0") {
		t.Fatalf("unknown alias: %v", err)
	}
}

func TestAuditMultiSliceOrdering(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		c.insert(t, "k", parent("Standard1"), col(n, "v", 0))
	}
	req := func(reversed bool, count int32, slices ...[2]string) *tg.MultiSliceRequest {
		r := tg.NewMultiSliceRequest()
		r.Key, r.ColumnParent, r.Reversed, r.Count = []byte("k"), parent("Standard1"), reversed, count
		r.ColumnSlices = []*tg.ColumnSlice{}
		for _, s := range slices {
			cs := &tg.ColumnSlice{}
			if s[0] != "" {
				cs.Start = []byte(s[0])
			}
			if s[1] != "" {
				cs.Finish = []byte(s[1])
			}
			r.ColumnSlices = append(r.ColumnSlices, cs)
		}
		return r
	}
	for _, tc := range []struct {
		name string
		r    *tg.MultiSliceRequest
		want string
	}{
		// Slices are sorted (deoverlapSlices) before reading.
		{"out of order", req(false, 10, [2]string{"e", "f"}, [2]string{"a", "b"}), "a,b,e,f"},
		{"reversed out of order", req(true, 10, [2]string{"b", "a"}, [2]string{"f", "e"}), "f,e,b,a"},
		// In a reversed request an absent start is the high end.
		{"reversed open start", req(true, 10, [2]string{"", "d"}), "f,e,d"},
		{"reversed open finish", req(true, 10, [2]string{"b", ""}), "b,a"},
		{"contained slice", req(false, 10, [2]string{"a", "f"}, [2]string{"b", "c"}), "a,b,c,d,e,f"},
		{"adjacent duplicates", req(false, 10, [2]string{"c", "c"}, [2]string{"c", "c"}), "c"},
		{"count 0", req(false, 0, [2]string{"", ""}), ""},
		{"reversed count", req(true, 2, [2]string{"f", "e"}, [2]string{"c", "a"}), "f,e"},
	} {
		res, err := c.GetMultiSlice(ctx, tc.r)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := strings.Join(colNames(t, res), ","); got != tc.want {
			t.Errorf("%s: got %q want %q", tc.name, got, tc.want)
		}
	}
}
