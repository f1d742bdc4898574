// Package hostport normalizes the "host:port" addresses both transports
// key their servers by, so that "Cass1" and "cass1:9160" name one server
// in the Thrift pool and one contact point in the CQL session.
//
//	addr, err := hostport.Normalize("Cass1", 9160) // "cass1:9160"
package hostport
