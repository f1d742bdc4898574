package orm_test

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
)

// Every exported method of a Mapper, found by reflection so that new ones
// are covered as they are added, is called on mappers in every state (nil,
// zero, without a pool, with bad tags, on a missing column family, live)
// with nil and zero arguments: nil contexts, nil pointers, nil slices and
// maps, slices holding a nil or zero element, zero keys. Nothing may panic,
// and a call given a nil context must fail with an error (returned, or
// yielded by an iterator).
func TestNilAndZeroArgumentsNeverPanic(t *testing.T) {
	e := newEnv(t)
	ce := newCQLEnv(t, orm.Model[User]())
	receivers := []struct {
		name string
		m    any
	}{
		{"nil", (*orm.Mapper[User, string])(nil)},
		{"zero", &orm.Mapper[User, string]{}},
		{"no pool", orm.Map[User, string](noPool, "Users")},
		{"bad tags", orm.Map[BadType, string](e.pool, "Plain")},
		{"missing column family", orm.Map[User, string](e.pool, "Nope")},
		{"live", orm.Map[User, string](e.pool, "Users")},
		{"live super", orm.Map[Tweet, string](e.pool, "Tweets")},
		{"live counters", orm.Map[Clicks, string](e.pool, "Counts")},
		{"no session", orm.Map[User, string]((*cql.Session)(nil), "Users")},
		{"live cql", orm.Map[User, string](ce.db, "Users")},
		{"missing cql table", orm.Map[User, string](ce.db, "Nope")},
	}
	for _, r := range receivers {
		v := reflect.ValueOf(r.m)
		for i := range v.NumMethod() {
			name := v.Type().Method(i).Name
			method := v.Method(i)
			for _, args := range argumentSets(method.Type()) {
				what := fmt.Sprintf("%s mapper: %s(%s)", r.name, name, describe(args))
				err, yielded := callNoPanic(t, what, method, args)
				takesCtx := method.Type().NumIn() > 0 && method.Type().In(0) == ctxType
				if takesCtx && args[0].IsNil() && err == nil && !yielded {
					t.Errorf("%s: no error for a nil context", what)
				}
			}
		}
	}
}

// The package's exported functions, with nil and zero arguments, and the
// options they make, used in calls. The list is checked against the
// package's source so that a new function cannot be left out.
func TestPackageFunctionsNeverPanic(t *testing.T) {
	e := newEnv(t)
	live := orm.Map[User, string](e.pool, "Users")
	var nilCtx context.Context
	calls := map[string]func(){
		"Map":   func() { _ = orm.Map[User, string](noPool, "", nil).Err() },
		"Open":  func() { _, _ = orm.Open[User, string](nilCtx, noPool, "", nil) },
		"Model": func() { _ = orm.Model[User]() },
		"ColumnFamilyOptions": func() {
			_ = orm.Map[User, string](e.pool, "Users", orm.ColumnFamilyOptions(nil, nil)).Err()
		},
		"Verified":    func() { _, _ = orm.Open[User, string](bg, e.pool, "Users", orm.Verified()) },
		"Consistency": func() { _, _ = live.Get(bg, "k", orm.Consistency(0)) },
		"TTL":         func() { _ = live.Insert(bg, &User{ID: "k"}, orm.TTL(-1)) },
		"Timestamp":   func() { _ = live.Insert(bg, &User{ID: "k"}, orm.Timestamp(0)) },
		"Fields":      func() { _ = live.Insert(bg, &User{ID: "k"}, orm.Fields()) },
		"Super":       func() { _, _ = live.Get(bg, "k", orm.Super(nil)) },
		"BufferSize":  func() { _, _ = live.MultiGet(bg, []string{"k"}, orm.BufferSize(-1)) },
		"PageTokenKey": func() {
			_, _, _ = orm.Map[User, string](e.pool, "Users", orm.PageTokenKey(nil)).Page(bg, query.Select{}, 1, "x")
		},
		"MissingAsZero": func() { _, _ = live.MultiGet(bg, []string{""}, orm.MissingAsZero()) },
		"Keyspace":      func() { _, _ = live.Get(bg, "k", orm.Keyspace("")) },
		"NewBatch": func() {
			_ = orm.NewBatch(noPool, nil).Len()
			_ = orm.NewBatch((*cql.Session)(nil), nil).Send(bg)
		},
		"QueueSize": func() { _ = orm.NewBatch(e.pool, orm.QueueSize(-5)).Len() },
		"Unlogged":  func() { _ = live.Queue(bg, orm.NewBatch(e.pool, orm.Unlogged()), &User{ID: "k"}) },
		"Nulls": func() {
			_ = orm.Map[User, string](e.pool, "Users", orm.Nulls(255)).Insert(bg, &User{ID: "k"}, orm.Nulls(0))
		},
	}
	for _, name := range exportedFuncs(t) {
		call, ok := calls[name]
		if !ok {
			t.Errorf("orm.%s has no case in this test: add one", name)
			continue
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("orm.%s with nil or zero arguments panicked: %v", name, p)
				}
			}()
			call()
		}()
	}
}

// Queue with a nil batch was issue 13's panic.
func TestQueueNilBatch(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	u := sampleUser("q", "UT", 1990)
	if err := users.Queue(bg, nil, &u); err == nil {
		t.Fatal("Queue into a nil batch: no error")
	}
	var b *columnfamily.Mutator
	if err := users.Queue(bg, b, &u); err == nil {
		t.Fatal("Queue into a typed nil batch: no error")
	}
}

var (
	ctxType   = reflect.TypeFor[context.Context]()
	errorType = reflect.TypeFor[error]()
)

// argumentSets lists the argument lists to try for a function type: every
// argument nil or zero, with a nil and a live context; then each slice
// argument holding one zero element (nil for pointers), with a live
// context.
func argumentSets(ft reflect.Type) [][]reflect.Value {
	n := ft.NumIn()
	base := func(ctx context.Context) []reflect.Value {
		args := make([]reflect.Value, n)
		for i := range n {
			in := ft.In(i)
			switch {
			case in == ctxType && ctx != nil:
				args[i] = reflect.New(ctxType).Elem() // interface-typed, as the parameter
				args[i].Set(reflect.ValueOf(ctx))
			case in == reflect.TypeFor[query.Select]():
				args[i] = reflect.ValueOf(query.Select{})
			default:
				args[i] = reflect.Zero(in)
			}
		}
		return args
	}
	sets := [][]reflect.Value{base(nil), base(bg)}
	for i := range n {
		if ft.In(i).Kind() != reflect.Slice {
			continue
		}
		args := base(bg)
		one := reflect.MakeSlice(ft.In(i), 1, 1) // one zero (nil) element
		args[i] = one
		sets = append(sets, args)
	}
	return sets
}

// callNoPanic calls f with args (spreading a variadic last argument),
// draining an iterator it returns, and reports a panic as a test error.
// It returns the error f returned or its iterator yielded.
func callNoPanic(t *testing.T, what string, f reflect.Value, args []reflect.Value) (err error, yielded bool) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("%s panicked: %v", what, p)
		}
	}()
	var out []reflect.Value
	if f.Type().IsVariadic() {
		out = f.CallSlice(args)
	} else {
		out = f.Call(args)
	}
	for _, o := range out {
		switch {
		case o.Type() == errorType && !o.IsNil():
			err = o.Interface().(error)
		case o.Kind() == reflect.Func && o.Type().NumIn() == 1 && o.Type().In(0).Kind() == reflect.Func:
			// An iter.Seq2[T, error]: range over it, keeping its error.
			yt := o.Type().In(0)
			yield := reflect.MakeFunc(yt, func(in []reflect.Value) []reflect.Value {
				if e, ok := in[len(in)-1].Interface().(error); ok && e != nil {
					err, yielded = e, true
				}
				return []reflect.Value{reflect.ValueOf(true)}
			})
			if !o.IsNil() {
				o.Call([]reflect.Value{yield})
			}
		}
	}
	return err, yielded
}

func describe(args []reflect.Value) string {
	parts := make([]string, len(args))
	for i, a := range args {
		switch {
		case a.Type() == ctxType && a.IsNil():
			parts[i] = "nil ctx"
		case a.Type() == ctxType:
			parts[i] = "ctx"
		case a.Kind() == reflect.Slice && !a.IsNil():
			parts[i] = fmt.Sprintf("[%d]%s", a.Len(), a.Type().Elem())
		default:
			parts[i] = "zero " + a.Type().String()
		}
	}
	return strings.Join(parts, ", ")
}

// exportedFuncs lists the exported package-level functions of orm's
// source (not methods, not tests).
func exportedFuncs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.IsExported() {
				out = append(out, fd.Name.Name)
			}
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		t.Fatal("found no exported functions")
	}
	return out
}
