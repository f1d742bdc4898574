module github.com/cassa-go/cassa/benchmarks/gocqlx

go 1.24.0

require (
	github.com/apache/cassandra-gocql-driver/v2 v2.1.2
	github.com/cassa-go/cassa v0.0.0
	github.com/gocql/gocql v1.7.0
	github.com/google/uuid v1.6.0
	github.com/scylladb/gocqlx/v2 v2.8.0
)

require (
	github.com/apache/thrift v0.22.0 // indirect
	github.com/datastax/go-cassandra-native-protocol v0.0.0-20260130100129-9d5b43677a33 // indirect
	github.com/golang/snappy v0.0.4 // indirect
	github.com/google/btree v1.1.3 // indirect
	github.com/hailocab/go-hostpool v0.0.0-20160125115350-e80d13ce29ed // indirect
	github.com/pierrec/lz4/v4 v4.1.8 // indirect
	github.com/rogpeppe/go-internal v1.9.0 // indirect
	github.com/scylladb/go-reflectx v1.0.1 // indirect
	github.com/shopspring/decimal v1.6.0 // indirect
	golang.org/x/crypto v0.48.0 // indirect
	gopkg.in/inf.v0 v0.9.1 // indirect
)

replace github.com/cassa-go/cassa => ../..
