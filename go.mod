module github.com/cassa-go/cassa

go 1.24.0

require (
	github.com/apache/cassandra-gocql-driver/v2 v2.1.2
	github.com/apache/thrift v0.22.0
	github.com/creack/pty v1.1.24
	github.com/datastax/go-cassandra-native-protocol v0.0.0-20260130100129-9d5b43677a33
	github.com/google/btree v1.1.3
	github.com/google/uuid v1.6.0
	github.com/mattn/go-runewidth v0.0.3
	github.com/peterh/liner v1.2.2
	github.com/shopspring/decimal v1.6.0
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.5
	golang.org/x/crypto v0.48.0
	golang.org/x/sys v0.41.0
	gopkg.in/inf.v0 v0.9.1
)

require (
	github.com/golang/snappy v0.0.3 // indirect
	github.com/pierrec/lz4/v4 v4.1.8 // indirect
)
