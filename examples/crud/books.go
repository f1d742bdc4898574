package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
)

// Book is one row of the Books column family (Thrift) or table (CQL),
// keyed by ISBN. The same
// struct is the JSON the service speaks: cass tags for Cassandra, json
// tags for HTTP.
type Book struct {
	ISBN    string          `cass:",key" json:"isbn"`
	Title   string          `cass:"title" json:"title"`
	Author  string          `cass:"author,index" json:"author"`
	Year    int             `cass:"year" json:"year"`
	Price   decimal.Decimal `cass:"price" json:"price"`
	InStock bool            `cass:"in_stock" json:"in_stock"`
	Pages   *int32          `cass:"pages" json:"pages,omitempty"` // nil: not known, no column
	Updated time.Time       `cass:"updated,type=Date" json:"updated"`
}

// CFName names the column family.
func (Book) CFName() string { return "Books" }

// Service serves the books over HTTP as JSON:
//
//	POST   /books          create (409 when the ISBN exists)
//	GET    /books          list, ?author= through the index, ?limit= (default 100)
//	GET    /books/{isbn}   read
//	PUT    /books/{isbn}   replace
//	DELETE /books/{isbn}   delete
type Service struct {
	books *orm.Mapper[Book, string]
	log   *slog.Logger
	now   func() time.Time
}

// NewService returns the service over the Books table of db's keyspace:
// a Thrift column family when db is a *pool.Pool, a CQL table when it is a
// *cql.Session. The handlers are the same either way. A nil logger is
// silent.
func NewService[C orm.Conn](db C, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{books: orm.Map[Book, string](db, "Books"), log: log, now: time.Now}
}

// Handler routes the requests.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /books", s.create)
	mux.HandleFunc("GET /books", s.list)
	mux.HandleFunc("GET /books/{isbn}", s.read)
	mux.HandleFunc("PUT /books/{isbn}", s.update)
	mux.HandleFunc("DELETE /books/{isbn}", s.remove)
	return mux
}

func (s *Service) create(w http.ResponseWriter, r *http.Request) {
	b, ok := s.decode(w, r)
	if !ok {
		return
	}
	if b.ISBN == "" {
		s.fail(w, http.StatusBadRequest, "isbn is required", nil)
		return
	}
	// Get then Insert is not atomic: two racing creates both succeed, the
	// later write winning. Good enough for a catalogue; for more, use
	// InsertIfNotExists (Thrift's cas, CQL's INSERT ... IF NOT EXISTS).
	switch _, err := s.books.Get(r.Context(), b.ISBN, orm.Fields("title")); {
	case err == nil:
		s.fail(w, http.StatusConflict, "book "+b.ISBN+" exists", nil)
		return
	case !errors.Is(err, cassa.ErrNotFound):
		s.fail(w, http.StatusInternalServerError, "read failed", err)
		return
	}
	s.save(w, r, b, http.StatusCreated)
}

func (s *Service) read(w http.ResponseWriter, r *http.Request) {
	b, err := s.books.Get(r.Context(), r.PathValue("isbn"))
	if errors.Is(err, cassa.ErrNotFound) {
		s.fail(w, http.StatusNotFound, "no book "+r.PathValue("isbn"), nil)
		return
	}
	if err != nil {
		s.fail(w, http.StatusInternalServerError, "read failed", err)
		return
	}
	s.reply(w, http.StatusOK, b)
}

func (s *Service) update(w http.ResponseWriter, r *http.Request) {
	isbn := r.PathValue("isbn")
	b, ok := s.decode(w, r)
	if !ok {
		return
	}
	if b.ISBN != "" && b.ISBN != isbn {
		s.fail(w, http.StatusBadRequest, "isbn in the body differs from the path", nil)
		return
	}
	b.ISBN = isbn
	if _, err := s.books.Get(r.Context(), isbn, orm.Fields("title")); errors.Is(err, cassa.ErrNotFound) {
		s.fail(w, http.StatusNotFound, "no book "+isbn, nil)
		return
	} else if err != nil {
		s.fail(w, http.StatusInternalServerError, "read failed", err)
		return
	}
	// A replace must not leave an old page count behind when the new
	// version has none: remove the row's columns first, in time order.
	if b.Pages == nil {
		if err := s.books.RemoveKey(r.Context(), isbn, orm.Fields("pages")); err != nil {
			s.fail(w, http.StatusInternalServerError, "update failed", err)
			return
		}
	}
	s.save(w, r, b, http.StatusOK)
}

func (s *Service) remove(w http.ResponseWriter, r *http.Request) {
	isbn := r.PathValue("isbn")
	if _, err := s.books.Get(r.Context(), isbn, orm.Fields("title")); errors.Is(err, cassa.ErrNotFound) {
		s.fail(w, http.StatusNotFound, "no book "+isbn, nil)
		return
	} else if err != nil {
		s.fail(w, http.StatusInternalServerError, "read failed", err)
		return
	}
	if err := s.books.RemoveKey(r.Context(), isbn); err != nil {
		s.fail(w, http.StatusInternalServerError, "delete failed", err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// list scans the table (rows come in token order), or with ?author= asks
// the secondary index on author.
func (s *Service) list(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			s.fail(w, http.StatusBadRequest, "limit must be a number from 1 to 1000", nil)
			return
		}
		limit = n
	}
	q := query.Select{}.Limit(limit) // a scan of every book, or
	if a := r.URL.Query().Get("author"); a != "" {
		q = q.And("author").Eq(a) // an index query on author
	}
	out := []Book{}
	for b, err := range s.books.Find(r.Context(), q) {
		if err != nil {
			s.fail(w, http.StatusInternalServerError, "list failed", err)
			return
		}
		out = append(out, b)
	}
	s.reply(w, http.StatusOK, out)
}

// save writes b (stamped with the time) and replies with it.
func (s *Service) save(w http.ResponseWriter, r *http.Request, b Book, status int) {
	b.Updated = s.now().UTC().Truncate(time.Millisecond) // DateType keeps milliseconds
	if err := s.books.Insert(r.Context(), &b); err != nil {
		s.fail(w, http.StatusInternalServerError, "write failed", err)
		return
	}
	s.reply(w, status, b)
}

// decode reads a Book from the request body; unknown fields and trailing
// data are errors, answered with 400.
func (s *Service) decode(w http.ResponseWriter, r *http.Request) (Book, bool) {
	var b Book
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	err := dec.Decode(&b)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON object")
	}
	if err != nil {
		s.fail(w, http.StatusBadRequest, "bad JSON: "+err.Error(), nil)
		return Book{}, false
	}
	return b, true
}

func (s *Service) reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		s.log.Warn("reply", "err", err)
	}
}

// fail answers {"error": msg}; the cause of a 500 is logged, not shown.
func (s *Service) fail(w http.ResponseWriter, status int, msg string, cause error) {
	if cause != nil {
		s.log.Error(msg, "err", cause)
	}
	s.reply(w, status, map[string]string{"error": msg})
}
