// A containerd ttrpc server (Go) that serves otklik.v1.Admin/Health and WhoAmI with fixed answers,
// so our Swift client (the otklik CLI) can be checked against a real ttrpc peer.
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/containerd/ttrpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

type HealthRequest struct{}

func (m *HealthRequest) Reset()         { *m = HealthRequest{} }
func (m *HealthRequest) String() string { return "HealthRequest{}" }
func (*HealthRequest) ProtoMessage()    {}

type HealthResponse struct {
	State           int32  `protobuf:"varint,1,opt,name=state,proto3"`
	Version         string `protobuf:"bytes,2,opt,name=version,proto3"`
	UptimeSeconds   int64  `protobuf:"varint,3,opt,name=uptime_seconds,proto3"`
	SchemaVersion   int32  `protobuf:"varint,4,opt,name=schema_version,proto3"`
	OpenConnections int32  `protobuf:"varint,5,opt,name=open_connections,proto3"`
	StartedAtUnix   int64  `protobuf:"varint,6,opt,name=started_at_unix,proto3"`
	EventCount      int64  `protobuf:"varint,7,opt,name=event_count,proto3"`
}

func (m *HealthResponse) Reset()         { *m = HealthResponse{} }
func (m *HealthResponse) String() string { return fmt.Sprintf("%+v", *m) }
func (*HealthResponse) ProtoMessage()    {}

type WhoAmIResponse struct {
	Uid    uint32   `protobuf:"varint,1,opt,name=uid,proto3"`
	Gid    uint32   `protobuf:"varint,2,opt,name=gid,proto3"`
	Pid    int32    `protobuf:"varint,3,opt,name=pid,proto3"`
	Login  string   `protobuf:"bytes,4,opt,name=login,proto3"`
	Roles  []string `protobuf:"bytes,5,rep,name=roles,proto3"`
	OsUser string   `protobuf:"bytes,6,opt,name=os_user,proto3"`
}

func (m *WhoAmIResponse) Reset()         { *m = WhoAmIResponse{} }
func (m *WhoAmIResponse) String() string { return fmt.Sprintf("%+v", *m) }
func (*WhoAmIResponse) ProtoMessage()    {}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: server SOCKET")
		os.Exit(2)
	}
	server, err := ttrpc.NewServer()
	if err != nil {
		panic(err)
	}
	server.Register("otklik.v1.Admin", map[string]ttrpc.Method{
		"Health": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			var request HealthRequest
			if err := unmarshal(&request); err != nil {
				return nil, err
			}
			return &HealthResponse{State: 1, Version: "go-ttrpc", UptimeSeconds: 42, SchemaVersion: 7, OpenConnections: 1, StartedAtUnix: 1764400000, EventCount: 3}, nil
		},
		"WhoAmI": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			return nil, status.Error(codes.PermissionDenied, "go server says no")
		},
	})
	listener, err := net.Listen("unix", os.Args[1])
	if err != nil {
		panic(err)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		server.Close()
		os.Exit(0)
	}()
	fmt.Println("ready")
	server.Serve(context.Background(), listener)
}
