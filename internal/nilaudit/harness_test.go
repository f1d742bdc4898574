package nilaudit

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// api lists the exported functions, types and methods of the package in
// dir, read from its non-test sources: "Open", "Pool", "Pool.Do".
type api struct {
	funcs, types, methods []string
}

func exportedAPI(t *testing.T, dir string) api {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var a api
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name.Name == "main" || strings.HasSuffix(f.Name.Name, "_test") {
			continue
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				if d.Recv == nil {
					a.funcs = append(a.funcs, d.Name.Name)
					continue
				}
				if recv := receiverName(d.Recv.List[0].Type); ast.IsExported(recv) {
					a.methods = append(a.methods, recv+"."+d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.IsExported() {
						a.types = append(a.types, ts.Name.Name)
					}
				}
			}
		}
	}
	return a
}

func receiverName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return receiverName(x.X)
	case *ast.IndexExpr:
		return receiverName(x.X)
	case *ast.IndexListExpr:
		return receiverName(x.X)
	case *ast.Ident:
		return x.Name
	}
	return ""
}

// audited is one package under audit.
type audited struct {
	name        string         // short name in messages: "pool"
	dir         string         // its directory, relative to this one
	funcs       map[string]any // every exported function (generic ones instantiated)
	types       []any          // a typed nil pointer to every exported type
	constraints []string       // exported type constraints, which have no values to call
}

// typeOf is the named type a registered typed nil pointer points to.
func typeOf(v any) reflect.Type { return reflect.TypeOf(v).Elem() }

// live makes a working value of a type (a *pool.Pool that is open, ...)
// for one call, and what to run after it.
type live func(t *testing.T) (reflect.Value, func())

// expect adjusts what one call is expected to do.
type expect int

const (
	expectDefault expect = iota // error when a context, pointer or function is nil, or the receiver unusable
	expectNoError               // nil arguments are documented as valid here
	expectError                 // a zero argument that is not nil (an empty file name) is an error here
)

// auditor runs the calls and collects the findings.
type auditor struct {
	t         *testing.T
	live      map[reflect.Type]live          // by pointer type
	needsCtor map[reflect.Type]bool          // pointer types whose zero value is unusable
	allowed   map[string]expect              // "pool.Pool.Do" -> expectation
	args      map[reflect.Type]reflect.Value // arguments to use instead of zero for some types
	calls     int
}

var (
	ctxType   = reflect.TypeFor[context.Context]()
	errorType = reflect.TypeFor[error]()
	tbType    = reflect.TypeFor[testing.TB]()
)

// variant is one way of calling: with a nil context, or a live one.
type variant struct {
	name string
	ctx  reflect.Value // the context argument
}

// call runs fn (a function, or a method expression whose first parameter
// is the receiver, given as recv) once per variant and checks each run.
func (a *auditor) call(name string, fn reflect.Value, recv *reflect.Value, recvUsable bool) {
	ft := fn.Type()
	first := 0
	if recv != nil {
		first = 1
	}
	bg := reflect.New(ctxType).Elem()
	bg.Set(reflect.ValueOf(context.Background()))
	variants := []variant{{"nil ctx", reflect.Zero(ctxType)}, {"background ctx", bg}}
	takesCtx := false
	for i := first; i < ft.NumIn(); i++ {
		takesCtx = takesCtx || ft.In(i) == ctxType
	}
	if !takesCtx {
		variants = []variant{{"", reflect.Value{}}}
	}
	for _, v := range variants {
		var args []reflect.Value
		if recv != nil {
			args = append(args, *recv)
		}
		nilArg := false
		tb := &recTB{name: a.t.Name()}
		for i := first; i < ft.NumIn(); i++ {
			p := ft.In(i)
			if ft.IsVariadic() && i == ft.NumIn()-1 {
				break
			}
			switch {
			case p == ctxType:
				args = append(args, v.ctx)
				nilArg = nilArg || v.ctx.IsNil()
			case p == tbType:
				args = append(args, reflect.ValueOf(testing.TB(tb)))
			default:
				args = append(args, reflect.Zero(p))
				switch p.Kind() {
				case reflect.Pointer, reflect.Func, reflect.Chan:
					nilArg = true
				}
			}
		}
		variadicNil := [][]reflect.Value{nil}
		if ft.IsVariadic() {
			last := ft.In(ft.NumIn() - 1)
			variadicNil = [][]reflect.Value{{}}
			if k := last.Elem().Kind(); k == reflect.Interface || k == reflect.Pointer || k == reflect.Func {
				variadicNil = append(variadicNil, []reflect.Value{reflect.Zero(last.Elem())})
			}
		}
		for _, extra := range variadicNil {
			full := append(slices.Clone(args), extra...)
			var notes []string
			if v.name != "" {
				notes = append(notes, v.name)
			}
			if len(extra) > 0 {
				notes = append(notes, "a nil option")
			}
			label := name
			if len(notes) > 0 {
				label += " (" + strings.Join(notes, ", ") + ")"
			}
			wantErr := nilArg || !recvUsable
			if a.allowed[name] == expectNoError || a.allowed[label] == expectNoError {
				wantErr = false
			}
			if a.allowed[name] == expectError || a.allowed[label] == expectError {
				wantErr = true
			}
			a.check(label, fn, full, wantErr, tb)
		}
	}
}

// check runs one call and reports a panic, a hang, or a missing error.
func (a *auditor) check(label string, fn reflect.Value, args []reflect.Value, wantErr bool, tb *recTB) {
	a.t.Helper()
	a.calls++
	type result struct {
		err      error
		hasErr   bool
		panicked any
		stack    []byte
		exited   bool // the call ended the goroutine (t.Fatal on a testing.TB)
	}
	done := make(chan result, 1)
	go func() {
		var r result
		completed := false
		defer func() {
			if p := recover(); p != nil {
				r.panicked, r.stack = p, debug.Stack()
			} else if !completed {
				r.exited = true
			}
			done <- r
		}()
		out := fn.Call(args)
		r.err, r.hasErr = errorOf(out)
		completed = true
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(30 * time.Second):
		a.t.Errorf("%s: did not return within 30s", label)
		return
	}
	tb.cleanup()
	switch {
	case r.panicked != nil:
		a.t.Errorf("%s: panic: %v\n%s", label, r.panicked, shortStack(r.stack))
	case r.exited || tb.failed():
		// A testing.TB argument was failed: that is cassatest's error.
		if !wantErr {
			a.t.Errorf("%s: failed the test: %s", label, tb.messages())
		}
	case wantErr && r.hasErr && r.err == nil:
		a.t.Errorf("%s: no error", label)
	}
}

// errorOf finds the error a call returned or, for an iterator, yielded
// first; hasErr reports whether the call has any way to return one.
func errorOf(out []reflect.Value) (err error, hasErr bool) {
	for _, v := range out {
		switch {
		case v.Type() == errorType:
			hasErr = true
			if !v.IsNil() && err == nil {
				err = v.Interface().(error)
			}
		case isSeq2Err(v.Type()):
			hasErr = true
			if e := drain(v); e != nil && err == nil {
				err = e
			}
		}
	}
	return err, hasErr
}

// isSeq2Err reports whether t is an iter.Seq2[K, error].
func isSeq2Err(t reflect.Type) bool {
	if t.Kind() != reflect.Func || t.NumIn() != 1 || t.NumOut() != 0 {
		return false
	}
	y := t.In(0)
	return y.Kind() == reflect.Func && y.NumIn() == 2 && y.NumOut() == 1 && y.In(1) == errorType
}

// drain ranges over an iter.Seq2[K, error] (at most 1000 items) and
// returns the first error it yields.
func drain(seq reflect.Value) error {
	if seq.IsNil() {
		return nil
	}
	var first error
	n := 0
	yield := reflect.MakeFunc(seq.Type().In(0), func(in []reflect.Value) []reflect.Value {
		n++
		if e := in[1]; !e.IsNil() && first == nil {
			first = e.Interface().(error)
		}
		return []reflect.Value{reflect.ValueOf(n < 1000)}
	})
	seq.Call([]reflect.Value{yield})
	return first
}

func shortStack(b []byte) string {
	lines := strings.Split(string(b), "\n")
	if len(lines) > 24 {
		lines = lines[:24]
	}
	return strings.Join(lines, "\n")
}

// audit calls every function and method of p and checks that every
// exported name of its sources was reached.
func (a *auditor) audit(p audited) {
	t := a.t
	src := exportedAPI(t, p.dir)
	for _, name := range src.funcs {
		if _, ok := p.funcs[name]; !ok {
			t.Errorf("%s.%s is not in the audit: add it to the funcs of %s", p.name, name, p.name)
		}
	}
	for _, name := range sortedKeys(p.funcs) {
		fn := reflect.ValueOf(p.funcs[name])
		a.call(p.name+"."+name, fn, nil, true)
	}
	known := map[string]bool{}
	for _, v := range p.types {
		tt := typeOf(v)
		name, _, _ := strings.Cut(tt.Name(), "[") // an instance of a generic type: Mapper[...]
		known[name] = true
		a.auditMethods(p.name, tt)
	}
	for _, name := range src.types {
		if !known[name] && !slices.Contains(p.constraints, name) {
			t.Errorf("type %s.%s is not in the audit: add it to the types of %s", p.name, name, p.name)
		}
	}
	for _, m := range src.methods {
		if typ, _, _ := strings.Cut(m, "."); !known[typ] {
			t.Errorf("method %s.%s has a receiver the audit does not list", p.name, m)
		}
	}
}

// auditMethods calls every method of T and *T with a nil receiver, a zero
// one and, when the audit can make one, a working one.
func (a *auditor) auditMethods(pkg string, tt reflect.Type) {
	if tt.Kind() == reflect.Interface {
		return
	}
	pt := reflect.PointerTo(tt)
	for i := 0; i < pt.NumMethod(); i++ {
		m := pt.Method(i)
		name := pkg + "." + tt.Name() + "." + m.Name
		_, valueMethod := tt.MethodByName(m.Name)
		fn := m.Func
		if valueMethod {
			vm, _ := tt.MethodByName(m.Name)
			fn = vm.Func
			zero := reflect.Zero(tt)
			a.call(name+" on a zero value", fn, &zero, true)
		} else {
			nilRecv := reflect.Zero(pt)
			a.call(name+" on nil", fn, &nilRecv, !a.needsCtor[pt])
			zero := reflect.New(tt)
			a.call(name+" on a zero value", fn, &zero, !a.needsCtor[pt])
		}
		if mk, ok := a.live[pt]; ok {
			v, done := mk(a.t)
			if valueMethod {
				v = v.Elem()
			}
			a.call(name+" on a working value", fn, &v, true)
			done()
		}
	}
}

// recTB is a testing.TB for cassatest's helpers that records failures
// instead of failing the audit; Fatal and Skip end the calling goroutine,
// as testing's do.
type recTB struct {
	testing.TB // not set: a method it does not override panics, which the audit reports
	name       string

	mu       sync.Mutex
	msgs     []string
	fail     bool
	cleanups []func()
}

func (r *recTB) record(fail bool, msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = r.fail || fail
	r.msgs = append(r.msgs, msg)
}

func (r *recTB) Helper()                      {}
func (r *recTB) Name() string                 { return r.name }
func (r *recTB) Log(args ...any)              { r.record(false, fmt.Sprint(args...)) }
func (r *recTB) Logf(f string, args ...any)   { r.record(false, fmt.Sprintf(f, args...)) }
func (r *recTB) Error(args ...any)            { r.record(true, fmt.Sprint(args...)) }
func (r *recTB) Errorf(f string, args ...any) { r.record(true, fmt.Sprintf(f, args...)) }
func (r *recTB) Fail()                        { r.record(true, "Fail") }
func (r *recTB) FailNow()                     { r.record(true, "FailNow"); runtime.Goexit() }
func (r *recTB) Fatal(args ...any)            { r.Error(args...); runtime.Goexit() }
func (r *recTB) Fatalf(f string, args ...any) { r.Errorf(f, args...); runtime.Goexit() }
func (r *recTB) Skip(args ...any)             { r.record(true, fmt.Sprint(args...)); runtime.Goexit() }
func (r *recTB) Skipf(f string, args ...any) {
	r.record(true, fmt.Sprintf(f, args...))
	runtime.Goexit()
}
func (r *recTB) SkipNow()                 { r.record(true, "SkipNow"); runtime.Goexit() }
func (r *recTB) Failed() bool             { return r.failed() }
func (r *recTB) Skipped() bool            { return false }
func (r *recTB) TempDir() string          { return os.TempDir() }
func (r *recTB) Context() context.Context { return context.Background() }
func (r *recTB) Cleanup(f func())         { r.mu.Lock(); r.cleanups = append(r.cleanups, f); r.mu.Unlock() }
func (r *recTB) Setenv(key, value string) { r.record(true, "Setenv is not allowed here") }
func (r *recTB) failed() bool             { r.mu.Lock(); defer r.mu.Unlock(); return r.fail }
func (r *recTB) messages() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.msgs, "; ")
}
func (r *recTB) cleanup() {
	r.mu.Lock()
	fs := r.cleanups
	r.cleanups = nil
	r.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

// sortedKeys is for stable messages.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
