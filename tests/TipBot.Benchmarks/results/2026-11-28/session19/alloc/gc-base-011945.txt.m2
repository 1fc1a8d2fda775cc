# HELP prometheus_net_meteradapter_instruments_connected Number of instruments that are currently connected to the adapter.
# TYPE prometheus_net_meteradapter_instruments_connected gauge
prometheus_net_meteradapter_instruments_connected 34
# HELP microsoft_aspnetcore_server_kestrel_kestrel_queued_connections ({connection}) Number of connections that are currently queued and are waiting to start. (UpDownCounter`1)
# TYPE microsoft_aspnetcore_server_kestrel_kestrel_queued_connections gauge
microsoft_aspnetcore_server_kestrel_kestrel_queued_connections{network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435"} 0
# HELP microsoft_aspnetcore_server_kestrel_kestrel_active_connections ({connection}) Number of connections that are currently active on the server. (UpDownCounter`1)
# TYPE microsoft_aspnetcore_server_kestrel_kestrel_active_connections gauge
microsoft_aspnetcore_server_kestrel_kestrel_active_connections{network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435"} 65
# HELP microsoft_aspnetcore_hosting_http_server_active_requests ({request}) Number of active HTTP server requests. (UpDownCounter`1)
# TYPE microsoft_aspnetcore_hosting_http_server_active_requests gauge
microsoft_aspnetcore_hosting_http_server_active_requests{http_request_method="GET",url_scheme="http"} 1
microsoft_aspnetcore_hosting_http_server_active_requests{http_request_method="POST",url_scheme="http"} 50
# HELP microsoft_aspnetcore_hosting_http_server_request_duration (s) Duration of HTTP server requests. (Histogram`1)
# TYPE microsoft_aspnetcore_hosting_http_server_request_duration histogram
microsoft_aspnetcore_hosting_http_server_request_duration_sum{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http"} 0.0845154
microsoft_aspnetcore_hosting_http_server_request_duration_count{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="0.001"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="0.002"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="0.004"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="0.008"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="0.016"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="0.032"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="0.064"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="0.128"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="0.256"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="0.512"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="1.024"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="2.048"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="4.096"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="8.192"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="16.384"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="32.768"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/health/ready",network_protocol_version="1.1",url_scheme="http",le="+Inf"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_sum{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http"} 3033.9411908999355
microsoft_aspnetcore_hosting_http_server_request_duration_count{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http"} 157571
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="0.001"} 5
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="0.002"} 31
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="0.004"} 485
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="0.008"} 8955
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="0.016"} 73752
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="0.032"} 142621
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="0.064"} 156310
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="0.128"} 157496
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="0.256"} 157548
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="0.512"} 157571
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="1.024"} 157571
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="2.048"} 157571
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="4.096"} 157571
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="8.192"} 157571
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="16.384"} 157571
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="32.768"} 157571
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="POST",http_response_status_code="200",http_route="/webhooks/telegram",network_protocol_version="1.1",url_scheme="http",le="+Inf"} 157571
microsoft_aspnetcore_hosting_http_server_request_duration_sum{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http"} 0.1243435
microsoft_aspnetcore_hosting_http_server_request_duration_count{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="0.001"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="0.002"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="0.004"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="0.008"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="0.016"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="0.032"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="0.064"} 0
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="0.128"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="0.256"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="0.512"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="1.024"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="2.048"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="4.096"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="8.192"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="16.384"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="32.768"} 1
microsoft_aspnetcore_hosting_http_server_request_duration_bucket{http_request_method="GET",http_response_status_code="200",http_route="/metrics",network_protocol_version="1.1",url_scheme="http",le="+Inf"} 1
# HELP microsoft_aspnetcore_server_kestrel_kestrel_connection_duration (s) The duration of connections on the server. (Histogram`1)
# TYPE microsoft_aspnetcore_server_kestrel_kestrel_connection_duration histogram
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_sum{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435"} 0.2513463
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_count{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435"} 2
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="0.001"} 0
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="0.002"} 0
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="0.004"} 0
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="0.008"} 0
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="0.016"} 0
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="0.032"} 0
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="0.064"} 0
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="0.128"} 2
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="0.256"} 2
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="0.512"} 2
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="1.024"} 2
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="2.048"} 2
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="4.096"} 2
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="8.192"} 2
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="16.384"} 2
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="32.768"} 2
microsoft_aspnetcore_server_kestrel_kestrel_connection_duration_bucket{network_protocol_name="http",network_protocol_version="1.1",network_transport="tcp",network_type="ipv4",server_address="127.0.0.1",server_port="38435",le="+Inf"} 2
# HELP tipbot_turns Inbound messages by channel and outcome (Counter`1)
# TYPE tipbot_turns gauge
tipbot_turns{channel="telegram",outcome="Processed"} 157571
# HELP tipbot_turn_duration_seconds (s) Webhook turn latency: load, dialog, commit, commands, replies (Histogram`1)
# TYPE tipbot_turn_duration_seconds histogram
tipbot_turn_duration_seconds_sum{channel="telegram"} 3020.987404499982
tipbot_turn_duration_seconds_count{channel="telegram"} 157571
tipbot_turn_duration_seconds_bucket{channel="telegram",le="0.001"} 5
tipbot_turn_duration_seconds_bucket{channel="telegram",le="0.002"} 35
tipbot_turn_duration_seconds_bucket{channel="telegram",le="0.004"} 516
tipbot_turn_duration_seconds_bucket{channel="telegram",le="0.008"} 9179
tipbot_turn_duration_seconds_bucket{channel="telegram",le="0.016"} 74255
tipbot_turn_duration_seconds_bucket{channel="telegram",le="0.032"} 142812
tipbot_turn_duration_seconds_bucket{channel="telegram",le="0.064"} 156332
tipbot_turn_duration_seconds_bucket{channel="telegram",le="0.128"} 157496
tipbot_turn_duration_seconds_bucket{channel="telegram",le="0.256"} 157549
tipbot_turn_duration_seconds_bucket{channel="telegram",le="0.512"} 157571
tipbot_turn_duration_seconds_bucket{channel="telegram",le="1.024"} 157571
tipbot_turn_duration_seconds_bucket{channel="telegram",le="2.048"} 157571
tipbot_turn_duration_seconds_bucket{channel="telegram",le="4.096"} 157571
tipbot_turn_duration_seconds_bucket{channel="telegram",le="8.192"} 157571
tipbot_turn_duration_seconds_bucket{channel="telegram",le="16.384"} 157571
tipbot_turn_duration_seconds_bucket{channel="telegram",le="32.768"} 157571
tipbot_turn_duration_seconds_bucket{channel="telegram",le="+Inf"} 157571
# HELP tipbot_tips_received Tips recorded (Counter`1)
# TYPE tipbot_tips_received gauge
tipbot_tips_received{category="drugs"} 13123
tipbot_tips_received{category="gambling"} 6565
tipbot_tips_received{category="traffic"} 6563
tipbot_tips_received{category="theft"} 6563
tipbot_tips_received{category="fraud"} 6562
# HELP tipbot_tips_routed Tips assigned to an officer for the first time (Counter`1)
# TYPE tipbot_tips_routed gauge
tipbot_tips_routed{reason="UnitOfficer"} 39376
# HELP dotnet_collection_count_total GC collection count
# TYPE dotnet_collection_count_total counter
dotnet_collection_count_total{generation="0"} 706
dotnet_collection_count_total{generation="1"} 598
dotnet_collection_count_total{generation="2"} 64
# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.
# TYPE process_start_time_seconds gauge
process_start_time_seconds 1795828787.4592943
# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 69.180543
# HELP process_virtual_memory_bytes Virtual memory size in bytes.
# TYPE process_virtual_memory_bytes gauge
process_virtual_memory_bytes 54773395456
# HELP process_working_set_bytes Process working set
# TYPE process_working_set_bytes gauge
process_working_set_bytes 249974784
# HELP process_private_memory_bytes Process private memory size
# TYPE process_private_memory_bytes gauge
process_private_memory_bytes 561766400
# HELP process_open_handles Number of open handles
# TYPE process_open_handles gauge
process_open_handles 564
# HELP process_num_threads Total number of threads
# TYPE process_num_threads gauge
process_num_threads 54
# HELP dotnet_total_memory_bytes Total known allocated memory
# TYPE dotnet_total_memory_bytes gauge
dotnet_total_memory_bytes 40415984
# HELP prometheus_net_metric_families Number of metric families currently registered.
# TYPE prometheus_net_metric_families gauge
prometheus_net_metric_families{metric_type="counter"} 3
prometheus_net_metric_families{metric_type="gauge"} 35
prometheus_net_metric_families{metric_type="summary"} 0
prometheus_net_metric_families{metric_type="histogram"} 3
# HELP prometheus_net_metric_instances Number of metric instances currently registered across all metric families.
# TYPE prometheus_net_metric_instances gauge
prometheus_net_metric_instances{metric_type="counter"} 5
prometheus_net_metric_instances{metric_type="gauge"} 60
prometheus_net_metric_instances{metric_type="summary"} 0
prometheus_net_metric_instances{metric_type="histogram"} 5
# HELP prometheus_net_metric_timeseries Number of metric timeseries currently generated from all metric instances.
# TYPE prometheus_net_metric_timeseries gauge
prometheus_net_metric_timeseries{metric_type="counter"} 5
prometheus_net_metric_timeseries{metric_type="gauge"} 60
prometheus_net_metric_timeseries{metric_type="summary"} 0
prometheus_net_metric_timeseries{metric_type="histogram"} 95
# HELP prometheus_net_exemplars_recorded_total Number of exemplars that were accepted into in-memory storage in the prometheus-net SDK.
# TYPE prometheus_net_exemplars_recorded_total counter
prometheus_net_exemplars_recorded_total 0
# HELP system_runtime_dotnet_gc_collections ({collection}) The number of garbage collections that have occurred since the process has started. (ObservableCounter`1)
# TYPE system_runtime_dotnet_gc_collections gauge
system_runtime_dotnet_gc_collections{gc_heap_generation="gen2"} 64
system_runtime_dotnet_gc_collections{gc_heap_generation="gen1"} 534
system_runtime_dotnet_gc_collections{gc_heap_generation="gen0"} 108
# HELP system_runtime_dotnet_process_memory_working_set (By) The number of bytes of physical memory mapped to the process context. (ObservableUpDownCounter`1)
# TYPE system_runtime_dotnet_process_memory_working_set gauge
system_runtime_dotnet_process_memory_working_set 249974784
# HELP system_runtime_dotnet_gc_heap_total_allocated (By) The approximate number of bytes allocated on the managed GC heap since the process has started. The returned value does not include any native allocations. (ObservableCounter`1)
# TYPE system_runtime_dotnet_gc_heap_total_allocated gauge
system_runtime_dotnet_gc_heap_total_allocated 10670984096
# HELP system_runtime_dotnet_gc_last_collection_memory_committed_size (By) The amount of committed virtual memory in use by the .NET GC, as observed during the latest garbage collection. (ObservableUpDownCounter`1)
# TYPE system_runtime_dotnet_gc_last_collection_memory_committed_size gauge
system_runtime_dotnet_gc_last_collection_memory_committed_size 57757696
# HELP system_runtime_dotnet_gc_last_collection_heap_size (By) The managed GC heap size (including fragmentation), as observed during the latest garbage collection. (ObservableUpDownCounter`1)
# TYPE system_runtime_dotnet_gc_last_collection_heap_size gauge
system_runtime_dotnet_gc_last_collection_heap_size{gc_heap_generation="gen0"} 0
system_runtime_dotnet_gc_last_collection_heap_size{gc_heap_generation="gen1"} 1668912
system_runtime_dotnet_gc_last_collection_heap_size{gc_heap_generation="gen2"} 25393968
system_runtime_dotnet_gc_last_collection_heap_size{gc_heap_generation="loh"} 6526376
system_runtime_dotnet_gc_last_collection_heap_size{gc_heap_generation="poh"} 404280
# HELP system_runtime_dotnet_gc_last_collection_heap_fragmentation_size (By) The heap fragmentation, as observed during the latest garbage collection. (ObservableUpDownCounter`1)
# TYPE system_runtime_dotnet_gc_last_collection_heap_fragmentation_size gauge
system_runtime_dotnet_gc_last_collection_heap_fragmentation_size{gc_heap_generation="gen0"} 0
system_runtime_dotnet_gc_last_collection_heap_fragmentation_size{gc_heap_generation="gen1"} 19752
system_runtime_dotnet_gc_last_collection_heap_fragmentation_size{gc_heap_generation="gen2"} 5388712
system_runtime_dotnet_gc_last_collection_heap_fragmentation_size{gc_heap_generation="loh"} 224
system_runtime_dotnet_gc_last_collection_heap_fragmentation_size{gc_heap_generation="poh"} 4120
# HELP system_runtime_dotnet_gc_pause_time (s) The total amount of time paused in GC since the process has started. (ObservableCounter`1)
# TYPE system_runtime_dotnet_gc_pause_time gauge
system_runtime_dotnet_gc_pause_time 4.518411
# HELP system_runtime_dotnet_jit_compiled_il_size (By) Count of bytes of intermediate language that have been compiled since the process has started. (ObservableCounter`1)
# TYPE system_runtime_dotnet_jit_compiled_il_size gauge
system_runtime_dotnet_jit_compiled_il_size 2360518
# HELP system_runtime_dotnet_jit_compiled_methods ({method}) The number of times the JIT compiler (re)compiled methods since the process has started. (ObservableCounter`1)
# TYPE system_runtime_dotnet_jit_compiled_methods gauge
system_runtime_dotnet_jit_compiled_methods 31345
# HELP system_runtime_dotnet_jit_compilation_time (s) The number of times the JIT compiler (re)compiled methods since the process has started. (ObservableCounter`1)
# TYPE system_runtime_dotnet_jit_compilation_time gauge
system_runtime_dotnet_jit_compilation_time 11.2870835
# HELP system_runtime_dotnet_monitor_lock_contentions ({contention}) The number of times there was contention when trying to acquire a monitor lock since the process has started. (ObservableCounter`1)
# TYPE system_runtime_dotnet_monitor_lock_contentions gauge
system_runtime_dotnet_monitor_lock_contentions 10180
# HELP system_runtime_dotnet_thread_pool_thread_count ({thread}) The number of thread pool threads that currently exist. (ObservableCounter`1)
# TYPE system_runtime_dotnet_thread_pool_thread_count gauge
system_runtime_dotnet_thread_pool_thread_count 12
# HELP system_runtime_dotnet_thread_pool_work_item_count ({work_item}) The number of work items that the thread pool has completed since the process has started. (ObservableCounter`1)
# TYPE system_runtime_dotnet_thread_pool_work_item_count gauge
system_runtime_dotnet_thread_pool_work_item_count 1499067
# HELP system_runtime_dotnet_thread_pool_queue_length ({work_item}) The number of work items that are currently queued to be processed by the thread pool. (ObservableCounter`1)
# TYPE system_runtime_dotnet_thread_pool_queue_length gauge
system_runtime_dotnet_thread_pool_queue_length 31
# HELP system_runtime_dotnet_timer_count ({timer}) The number of timer instances that are currently active. An active timer is registered to tick at some point in the future and has not yet been canceled. (ObservableUpDownCounter`1)
# TYPE system_runtime_dotnet_timer_count gauge
system_runtime_dotnet_timer_count 200
# HELP system_runtime_dotnet_assembly_count ({assembly}) The number of .NET assemblies that are currently loaded. (ObservableUpDownCounter`1)
# TYPE system_runtime_dotnet_assembly_count gauge
system_runtime_dotnet_assembly_count 178
# HELP system_runtime_dotnet_process_cpu_count ({cpu}) The number of processors available to the process. (ObservableUpDownCounter`1)
# TYPE system_runtime_dotnet_process_cpu_count gauge
system_runtime_dotnet_process_cpu_count 2
# HELP system_runtime_dotnet_process_cpu_time (s) CPU time used by the process. (ObservableCounter`1)
# TYPE system_runtime_dotnet_process_cpu_time gauge
system_runtime_dotnet_process_cpu_time{cpu_mode="user"} 57.569917
system_runtime_dotnet_process_cpu_time{cpu_mode="system"} 11.629879
