// Command etcd is etcd's own server entry point, built from the Go module proxy.
//
// go.etcd.io/etcd/server/v3 cannot be installed with `go install module@version`: its go.mod has
// replace directives pointing into etcd's repository. This wrapper module requires the server and
// its sibling modules at one release instead (see build-etcd.sh, which writes the go.mod).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
