package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cassa-go/cassa/cassatest"
)

// transports are what every test runs over.
var transports = []string{Thrift, CQL}

// newTestService serves the books of a fresh keyspace through httptest,
// over the given transport: an embedded server, or with
// CASSA_TEST_SERVERS (Thrift) and CASSA_TEST_CQL_HOSTS (CQL) a real
// cluster, where the keyspace is dropped afterwards.
func newTestService(t *testing.T, transport string) *httptest.Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	var svc *Service
	switch transport {
	case Thrift:
		srv := cassatest.Start(t, cassatest.WithKeyspace(), cassatest.FromEnv())
		db, err := setupThrift(ctx, srv.Addrs(), srv.Keyspace())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close(context.Background()) })
		svc = NewService(db, nil)
	case CQL:
		ep := cassatest.CQL(t)
		db, err := setupCQL(ctx, ep.Hosts(), ep.Keyspace())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close(context.Background()) })
		svc = NewService(db, nil)
	default:
		t.Fatalf("unknown transport %q", transport)
	}
	svc.now = func() time.Time { return time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC) }
	hs := httptest.NewServer(svc.Handler())
	t.Cleanup(hs.Close)
	return hs
}

// do sends a request and decodes a JSON reply into out (when not nil).
func request(t *testing.T, hs *httptest.Server, method, path, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, hs.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v in %q", method, path, err, data)
		}
	}
	return resp.StatusCode
}

const dune = `{"isbn":"0-441-17271-7","title":"Dune","author":"Frank Herbert","year":1965,"price":"9.99","pages":412}`

// The same requests get the same answers over either transport.
func TestCRUD(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) { testCRUD(t, newTestService(t, tr)) })
	}
}

func testCRUD(t *testing.T, hs *httptest.Server) {

	var got Book
	if code := request(t, hs, "POST", "/books", dune, &got); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	if got.Title != "Dune" || got.Updated.IsZero() {
		t.Errorf("created %+v", got)
	}
	if code := request(t, hs, "POST", "/books", dune, nil); code != http.StatusConflict {
		t.Errorf("second create: %d, want 409", code)
	}
	for _, b := range []string{
		`{"isbn":"0-441-10266-2","title":"Dune Messiah","author":"Frank Herbert","year":1969,"price":"8.50"}`,
		`{"isbn":"0-345-39180-2","title":"The Left Hand of Darkness","author":"Ursula K. Le Guin","year":1969,"price":"7.25","in_stock":true}`,
	} {
		if code := request(t, hs, "POST", "/books", b, nil); code != http.StatusCreated {
			t.Fatalf("create %s: %d", b, code)
		}
	}

	// Read: what was written comes back, typed.
	got = Book{}
	if code := request(t, hs, "GET", "/books/0-441-17271-7", "", &got); code != http.StatusOK {
		t.Fatalf("read: %d", code)
	}
	want := Book{ISBN: "0-441-17271-7", Title: "Dune", Author: "Frank Herbert", Year: 1965,
		Price: decimal.RequireFromString("9.99"), Updated: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)}
	if got.Pages == nil || *got.Pages != 412 {
		t.Errorf("pages = %v", got.Pages)
	}
	got.Pages = nil
	if !got.Price.Equal(want.Price) || got.ISBN != want.ISBN || got.Title != want.Title || got.Author != want.Author ||
		got.Year != want.Year || got.InStock || !got.Updated.Equal(want.Updated) {
		t.Errorf("read %+v, want %+v", got, want)
	}

	// Update replaces the book; a field left out is gone afterwards.
	upd := `{"title":"Dune","author":"Frank Herbert","year":1965,"price":"7.99","in_stock":true}`
	if code := request(t, hs, "PUT", "/books/0-441-17271-7", upd, nil); code != http.StatusOK {
		t.Fatalf("update: %d", code)
	}
	got = Book{}
	request(t, hs, "GET", "/books/0-441-17271-7", "", &got)
	if !got.Price.Equal(decimal.RequireFromString("7.99")) || !got.InStock || got.Pages != nil {
		t.Errorf("after update: %+v", got)
	}

	// List: every book, or those of one author through the index.
	var all []Book
	if code := request(t, hs, "GET", "/books", "", &all); code != http.StatusOK || len(all) != 3 {
		t.Errorf("list: %d, %d books", code, len(all))
	}
	var herbert []Book
	if code := request(t, hs, "GET", "/books?author=Frank%20Herbert", "", &herbert); code != http.StatusOK || len(herbert) != 2 {
		t.Errorf("list by author: %d, %+v", code, herbert)
	}
	var two []Book
	if code := request(t, hs, "GET", "/books?limit=2", "", &two); code != http.StatusOK || len(two) != 2 {
		t.Errorf("list with limit: %d, %d books", code, len(two))
	}

	// Delete, then it is gone.
	if code := request(t, hs, "DELETE", "/books/0-441-17271-7", "", nil); code != http.StatusNoContent {
		t.Fatalf("delete: %d", code)
	}
	if code := request(t, hs, "GET", "/books/0-441-17271-7", "", nil); code != http.StatusNotFound {
		t.Errorf("read after delete: %d", code)
	}
}

func TestErrors(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) { testErrors(t, newTestService(t, tr)) })
	}
}

func testErrors(t *testing.T, hs *httptest.Server) {
	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"read missing", "GET", "/books/nope", "", http.StatusNotFound},
		{"update missing", "PUT", "/books/nope", `{"title":"x"}`, http.StatusNotFound},
		{"delete missing", "DELETE", "/books/nope", "", http.StatusNotFound},
		{"create bad JSON", "POST", "/books", `{"isbn":`, http.StatusBadRequest},
		{"create wrong type", "POST", "/books", `{"isbn":"1","year":"old"}`, http.StatusBadRequest},
		{"create unknown field", "POST", "/books", `{"isbn":"1","colour":"red"}`, http.StatusBadRequest},
		{"create trailing data", "POST", "/books", `{"isbn":"1"} {}`, http.StatusBadRequest},
		{"create without isbn", "POST", "/books", `{"title":"x"}`, http.StatusBadRequest},
		{"update bad JSON", "PUT", "/books/1", `not json`, http.StatusBadRequest},
		{"update other isbn", "PUT", "/books/1", `{"isbn":"2"}`, http.StatusBadRequest},
		{"bad limit", "GET", "/books?limit=0", "", http.StatusBadRequest},
		{"wrong method", "PATCH", "/books/1", "{}", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e map[string]string
			out := any(&e)
			if tt.want == http.StatusMethodNotAllowed {
				out = nil // net/http's own reply is plain text
			}
			code := request(t, hs, tt.method, tt.path, tt.body, out)
			if code != tt.want {
				t.Errorf("%s %s: %d, want %d (%v)", tt.method, tt.path, code, tt.want, e)
			}
			if code != http.StatusMethodNotAllowed && e["error"] == "" {
				t.Errorf("no error message in the reply")
			}
		})
	}
}

// run itself: it starts an embedded server, serves over the configured
// transport, and stops with its context.
func TestRun(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) { testRun(t, Config{Transport: tr}) })
	}
}

func testRun(t *testing.T, cfg Config) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, "127.0.0.1:0", cfg, pw, nil); pw.Close() }()

	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	if want := "(Cassandra over " + map[string]string{Thrift: "Thrift", CQL: "CQL"}[cfg.Transport] + " at 127.0.0.1:"; !strings.Contains(line, want) {
		t.Errorf("run says %q, want it to contain %q", line, want)
	}
	url := strings.Fields(line)[2]
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %d", url, resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}

func TestFlags(t *testing.T) {
	env := map[string]string{"CASSA_TRANSPORT": "cql", "CASSA_SERVERS": " a:1 , b:2,,", "CASSA_CQL_HOSTS": "c"}
	tests := []struct {
		args     []string
		env      bool
		wantAddr string
		want     Config
		wantErr  bool
	}{
		{nil, false, "127.0.0.1:8080", Config{Transport: Thrift}, false},
		{nil, true, "127.0.0.1:8080", Config{Transport: CQL, Servers: []string{"a:1", "b:2"}, CQLHosts: []string{"c"}}, false},
		{[]string{"-addr", ":9", "-transport", "thrift", "-servers", "x:9160"}, true, ":9",
			Config{Transport: Thrift, Servers: []string{"x:9160"}, CQLHosts: []string{"c"}}, false},
		{[]string{"-transport", "cql", "-cql-hosts", "y,z:9043"}, false, "127.0.0.1:8080",
			Config{Transport: CQL, CQLHosts: []string{"y", "z:9043"}}, false},
		{[]string{"-transport", "grpc"}, false, "", Config{}, true},
		{[]string{"-nope"}, false, "", Config{}, true},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("crud", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		getenv := func(string) string { return "" }
		if tt.env {
			getenv = func(k string) string { return env[k] }
		}
		addr, got, err := parseFlags(fs, tt.args, getenv)
		if (err != nil) != tt.wantErr {
			t.Errorf("%q: error %v, want error %v", tt.args, err, tt.wantErr)
			continue
		}
		if addr != tt.wantAddr || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: %q %+v, want %q %+v", tt.args, addr, got, tt.wantAddr, tt.want)
		}
	}
}
