package commitlog_test

import (
	"fmt"
	"log"
	"os"

	"github.com/cassa-go/cassa/server/internal/commitlog"
)

// Append records with batch sync, then recover them after a "restart".
func Example() {
	dir, err := os.MkdirTemp("", "commitlog-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	l, err := commitlog.Open(commitlog.Options{Dir: dir, Sync: commitlog.SyncBatch})
	if err != nil {
		log.Fatal(err)
	}
	for _, rec := range []string{"insert k1", "insert k2", "remove k1"} {
		if _, err := l.Append([]byte(rec)); err != nil { // durable once Append returns
			log.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		log.Fatal(err)
	}

	st, err := commitlog.Replay(nil, dir, 0, nil, func(_ commitlog.Position, rec []byte) error {
		fmt.Println(string(rec))
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Records, "records replayed")
	// Output:
	// insert k1
	// insert k2
	// remove k1
	// 3 records replayed
}
