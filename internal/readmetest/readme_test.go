package readmetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/thrift/pool"
)

// snippet is one ```go block of the README.
type snippet struct {
	line int    // README line of the block's first code line
	code string // the block's text
}

// extract returns the ```go blocks of a Markdown text.
func extract(md string) []snippet { return blocks(md, "go") }

// blocks returns the fenced blocks of a Markdown text in language lang.
func blocks(md, lang string) []snippet {
	var out []snippet
	var cur *snippet
	var buf strings.Builder
	for i, l := range strings.Split(md, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case cur == nil && t == "```"+lang:
			cur = &snippet{line: i + 2}
			buf.Reset()
		case cur != nil && t == "```":
			cur.code = buf.String()
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			buf.WriteString(l)
			buf.WriteByte('\n')
		}
	}
	return out
}

// Schema files shown in the README must load and plan against a server.
func TestREADMESchemaFiles(t *testing.T) {
	md, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv := cassatest.Start(t)
	sys, err := migrate.Connect(ctx, pool.Config{Servers: srv.Addrs(), PoolSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close(ctx)
	db, err := cql.Open(ctx, cql.Config{Hosts: []string{srv.CQLAddr()}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	n := 0
	for _, lang := range []string{"yaml", "json"} {
		for _, b := range blocks(string(md), lang) {
			n++
			spec, err := migrate.DecodeSchema(strings.NewReader(b.code), lang)
			if err != nil {
				t.Errorf("README.md:%d: %v", b.line, err)
				continue
			}
			if spec.Name == "" || len(spec.Tables) == 0 {
				t.Errorf("README.md:%d: schema without keyspace or tables: %+v", b.line, spec)
			}
			var plan *migrate.Plan
			if len(spec.Tables) > 0 && spec.Tables[0].IsCQL() {
				plan, err = migrate.PlanCQL(ctx, db, spec)
			} else {
				plan, err = migrate.PlanSchema(ctx, sys, spec)
			}
			if err != nil {
				t.Errorf("README.md:%d: plan: %v", b.line, err)
				continue
			}
			if len(plan.Refused()) > 0 {
				t.Errorf("README.md:%d: refused steps:\n%v", b.line, plan)
			}
		}
	}
	if n < 2 {
		t.Errorf("README.md shows %d schema files, want a YAML and a JSON one", n)
	}
}

func TestExtract(t *testing.T) {
	md := "text\n```go\na := 1\n```\n```sh\nls\n```\n```go\npackage main\n\nfunc main() {}\n```\n"
	got := extract(md)
	want := []snippet{{3, "a := 1\n"}, {9, "package main\n\nfunc main() {}\n"}}
	if !slices.Equal(got, want) {
		t.Errorf("extract = %q, want %q", got, want)
	}
}

type kind int

const (
	wholeFile kind = iota
	declarations
	statements
)

func (s snippet) kind() kind {
	if strings.HasPrefix(strings.TrimSpace(s.code), "package ") {
		return wholeFile
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+s.code, 0); err == nil {
		return declarations
	}
	return statements
}

// imports maps the package names snippets use to their import paths.
var imports = map[string]string{
	"context":      "context",
	"errors":       "errors",
	"fmt":          "fmt",
	"http":         "net/http",
	"log":          "log",
	"os":           "os",
	"slog":         "log/slog",
	"strings":      "strings",
	"testing":      "testing",
	"time":         "time",
	"uuid":         "github.com/google/uuid",
	"decimal":      "github.com/shopspring/decimal",
	"cassatest":    "github.com/cassa-go/cassa/cassatest",
	"codec":        "github.com/cassa-go/cassa/codec",
	"migrate":      "github.com/cassa-go/cassa/migrate",
	"orm":          "github.com/cassa-go/cassa/orm",
	"query":        "github.com/cassa-go/cassa/query",
	"server":       "github.com/cassa-go/cassa/server",
	"cassa":        "github.com/cassa-go/cassa",
	"columnfamily": "github.com/cassa-go/cassa/thrift/columnfamily",
	"cql":          "github.com/cassa-go/cassa/cql",
	"gocql":        "github.com/apache/cassandra-gocql-driver/v2",
	"pool":         "github.com/cassa-go/cassa/thrift/pool",
	"tags":         "github.com/cassa-go/cassa/orm/tags",
}

// prelude is what statement fragments take for granted.
const prelude = `
type User struct {
	ID    uuid.UUID ` + "`cass:\",key\"`" + `
	Name  string    ` + "`cass:\"name\"`" + `
	State string    ` + "`cass:\"state,index\"`" + `
	Born  int64     ` + "`cass:\"birthdate,type=Long,index\"`" + `
}

type Tweet struct {
	User string    ` + "`cass:\",key\"`" + `
	ID   uuid.UUID ` + "`cass:\",super,type=TimeUUID\"`" + `
	Body string    ` + "`cass:\"body\"`" + `
}

var (
	ctx     context.Context
	db      *pool.Pool
	cf      *columnfamily.ColumnFamily
	sys     *migrate.SystemManager
	users   *orm.Mapper[User, uuid.UUID]
	u       User
	id, id2 uuid.UUID
	err     error
)

var _, _, _, _, _, _, _, _ = ctx, db, cf, sys, users, u, id2, err
`

// source turns a snippet into a Go file of package pkg, and says on which
// line of that file the snippet's first line is.
func (s snippet) source(pkg string) (src string, first int, err error) {
	if s.kind() == wholeFile {
		return s.code, 1, nil
	}
	var body, head strings.Builder
	switch s.kind() {
	case declarations:
		body.WriteString(s.code)
	case statements:
		body.WriteString(prelude)
		body.WriteString("\nfunc snippet() error {\n{\n")
		first = strings.Count(body.String(), "\n")
		body.WriteString(s.code)
		body.WriteString("}\nreturn nil\n}\n")
	}
	// Import what the code names: parse it without imports first.
	f, perr := parser.ParseFile(token.NewFileSet(), "", "package p\n"+body.String(), 0)
	if perr != nil {
		return "", 0, perr
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && imports[x.Name] != "" {
				used[x.Name] = true
			}
		}
		return true
	})
	fmt.Fprintf(&head, "package %s\n\nimport (\n", pkg)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for n := range used {
			if !yield(n) {
				return
			}
		}
	}) {
		fmt.Fprintf(&head, "\t%s %q\n", name, imports[name])
	}
	head.WriteString(")\n")
	if s.kind() == declarations {
		first = 0
	}
	return head.String() + body.String(), strings.Count(head.String(), "\n") + first + 1, nil
}

// gofmtClean reports whether the snippet is formatted as gofmt would.
func (s snippet) gofmtClean() (string, bool) {
	var src, got string
	switch s.kind() {
	case wholeFile:
		src = s.code
	case declarations:
		src = "package p\n\n" + s.code
	case statements:
		var b strings.Builder
		b.WriteString("package p\n\nfunc _() {\n")
		for _, l := range strings.SplitAfter(s.code, "\n") {
			if strings.TrimSpace(l) != "" {
				b.WriteString("\t")
			}
			b.WriteString(l)
		}
		b.WriteString("}\n")
		src = b.String()
	}
	out, err := format.Source([]byte(src))
	if err != nil {
		return err.Error(), false
	}
	got = string(out)
	return got, got == src
}

func goTool(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err != nil {
		t.Skip("no go command to build the snippets with")
	}
	return p
}

// errLine matches a compiler message about a snippet file.
var errLine = regexp.MustCompile(`^(.*snippet_(\d+)\.go):(\d+):(\d+): (.*)$`)

func TestREADMESnippets(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	snips := extract(string(md))
	if len(snips) < 5 {
		t.Fatalf("README.md has %d Go snippets; the extractor must be broken", len(snips))
	}

	tmp := t.TempDir()
	overlay := map[string]string{}
	var pkgs, mains []string
	first := map[int]int{} // snippet index -> line of its first line in its file
	for i, s := range snips {
		if msg, ok := s.gofmtClean(); !ok {
			t.Errorf("README.md:%d: snippet is not gofmt-clean; gofmt gives:\n%s", s.line, msg)
		}
		pkg := fmt.Sprintf("snippet%02d", i)
		src, line, err := s.source(pkg)
		if err != nil {
			t.Errorf("README.md:%d: %v", s.line, err)
			continue
		}
		first[i] = line
		file := filepath.Join(tmp, fmt.Sprintf("snippet_%d.go", i))
		if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		// The package exists only in the overlay: nothing is written to
		// the work tree, and no other build ever sees it.
		dir := filepath.Join(root, "internal", "readmetest", "zz_readme_"+pkg)
		overlay[filepath.Join(dir, "snippet.go")] = file
		pkgs = append(pkgs, "./internal/readmetest/zz_readme_"+pkg)
		if s.kind() == wholeFile && strings.HasPrefix(strings.TrimSpace(s.code), "package main") {
			mains = append(mains, pkgs[len(pkgs)-1])
		}
	}
	ov, err := json.Marshal(map[string]any{"Replace": overlay})
	if err != nil {
		t.Fatal(err)
	}
	ovFile := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(ovFile, ov, 0o600); err != nil {
		t.Fatal(err)
	}

	goCmd := goTool(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"build", "-o", os.DevNull, "-gcflags=-e", "-overlay", ovFile}, pkgs...)
	if len(pkgs) > 1 {
		args = slices.Delete(args, 1, 3) // -o with several packages needs a directory; build discards the results anyway
	}
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = root
	out, _ := cmd.CombinedOutput()
	for _, l := range strings.Split(string(out), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		m := errLine.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("go build: %s", l)
			continue
		}
		if strings.HasPrefix(m[5], "declared and not used") {
			continue // a README fragment shows a call, not what is done with its result
		}
		i, _ := strconv.Atoi(m[2])
		ln, _ := strconv.Atoi(m[3])
		t.Errorf("README.md:%d: %s", snips[i].line+ln-first[i], m[5])
	}

	// Whole programs must also run: they start their own embedded server.
	for _, pkg := range mains {
		cmd := exec.CommandContext(ctx, goCmd, "run", "-overlay", ovFile, pkg)
		cmd.Dir = root
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if out, err := cmd.Output(); err != nil {
			t.Errorf("go run %s: %v\n%s%s", pkg, err, out, stderr.Bytes())
		}
	}
}
