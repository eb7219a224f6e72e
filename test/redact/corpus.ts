// The corpus of secrets every redactor is held to: the TypeScript `redact`,
// the collector's text and journal line redactors, and the awk of the printed
// collection script under mawk and busybox awk. Each case is a line as it
// appears in a named source of a charger's bundle, with the secrets that must
// be gone after redaction (`secrets`) and, optionally, what must stay
// (`keep`: the name in front of a secret, the text around it). Negative cases
// are lines that must come out byte for byte as they went in.

export type Source =
  | 'journal' // a journal MESSAGE
  | 'ps' // a `ps` line (argv)
  | 'unit' // a unit file line
  | 'show' // `systemctl show` output
  | 'crontab'
  | 'nginx-access'
  | 'nginx-error'
  | 'app-log'
  | 'nohup' // nohup.out
  | 'manifest-error' // a command's error text kept in the manifest
  | 'ocpp' // OCPP frames in an app log
  | 'env-file' // .env-like config
  | 'compose' // docker-compose-like YAML
  | 'config'; // other configuration files (ini, yaml, json)

export interface SecretCase {
  source: Source;
  line: string;
  secrets: string[];
  keep?: string[];
}

export interface CleanCase {
  source: Source;
  line: string;
}

/** Secrets that come over several lines (text) or several journal records, one line each. */
export interface MultiLineCase {
  name: string;
  lines: string[];
  secrets: string[];
  /** lines that must come out unchanged (text after the block) */
  keep: string[];
}

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJDUDAxIiwiaWF0IjoxNzY1MzE4NTAwfQ.Qm9ndXNTaWduYXR1cmVGb3JUZXN0c09ubHkxMjM';
const AWS_ID = 'AKIAZ7VQ3EXAMPLE4XYZ';
const AWS_SECRET = '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';
const BASIC = 'Y3AwMTpTM2NyZXRQYXNzITIz'; // cp01:S3cretPass!23

export const SECRETS: SecretCase[] = [
  // ---- single-dash password options of the tools that take them
  { source: 'ps', line: '  4121     1 root     Wed Dec 10 01:02:30 2025  750 24576  0.0 0::/system.slice/backup.service mysqldump -u root -pRootPw_2025 charger', secrets: ['RootPw_2025'], keep: ['mysqldump -u root -p', 'charger'] },
  { source: 'ps', line: 'mysql -u root -pZq8!mysql_pw -h 127.0.0.1 charger', secrets: ['Zq8!mysql_pw'], keep: ['-h 127.0.0.1 charger'] },
  { source: 'ps', line: "mysql -uroot -p'Quoted Pw 42' -e 'select 1'", secrets: ['Quoted Pw 42'] },
  { source: 'ps', line: 'mysql -u root -p "SpacedQuoted77" charger', secrets: ['SpacedQuoted77'] },
  { source: 'journal', line: 'backup.sh[812]: + mysqldump --single-transaction -u charger -pDumpPw9x charger_db', secrets: ['DumpPw9x'] },
  { source: 'unit', line: 'ExecStart=/usr/bin/mysqldump -u backup -pUnitDumpPw1 --all-databases --result-file=/var/backups/all.sql', secrets: ['UnitDumpPw1'] },
  { source: 'show', line: 'ExecStart={ path=/usr/bin/mariadb ; argv[]=/usr/bin/mariadb -u ocpp -pMariaShow5 -e source /opt/x.sql ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }', secrets: ['MariaShow5'] },
  { source: 'crontab', line: '30 2 * * * mysqldump -u root -pCronPw_77 charger | gzip > /var/backups/charger.sql.gz', secrets: ['CronPw_77'], keep: ['| gzip > /var/backups/charger.sql.gz'] },
  { source: 'crontab', line: '0 3 * * * /usr/bin/mariadb-dump -uroot -p"CronQuoted88" --all-databases > /backup/all.sql', secrets: ['CronQuoted88'] },
  { source: 'ps', line: 'sshpass -p SshpassPw1 ssh -p 2222 pi@relay.example.net', secrets: ['SshpassPw1'], keep: ['ssh -p 2222 pi@relay.example.net'] },
  { source: 'crontab', line: '*/10 * * * * sshpass -pRelayPw22 rsync -a /var/log/charger/ backup@10.0.0.2:/srv/logs/', secrets: ['RelayPw22'] },
  { source: 'unit', line: "ExecStart=/usr/bin/sshpass -p 'Tunnel Pw 3' autossh -M 0 -N -R 2222:localhost:22 pi@relay.example.net", secrets: ['Tunnel Pw 3'] },
  { source: 'ps', line: 'redis-cli -h 127.0.0.1 -p 6379 -a RedisPw_55 ping', secrets: ['RedisPw_55'], keep: ['-p 6379'] },
  { source: 'nohup', line: '+ redis-cli -aRedisAttached66 --no-auth-warning INFO', secrets: ['RedisAttached66'] },
  { source: 'ps', line: 'mosquitto_sub -h broker.local -u cp01 -P MqttPw_77 -t charger/#', secrets: ['MqttPw_77'] },
  { source: 'crontab', line: '* * * * * mosquitto_pub -h 10.0.0.5 -u cp01 -P "MqttQuoted8" -t status -m ok', secrets: ['MqttQuoted8'] },
  { source: 'ps', line: 'mongosh --host 127.0.0.1 -u admin -p MongoPw_9 --authenticationDatabase admin', secrets: ['MongoPw_9'] },
  { source: 'ps', line: 'ldapsearch -x -D cn=admin,dc=example,dc=com -w LdapPw_10 -b dc=example,dc=com', secrets: ['LdapPw_10'] },
  { source: 'app-log', line: '2025-12-10 01:10:02 INFO running: ipmitool -I lanplus -H 10.0.0.9 -U admin -P IpmiPw_11 chassis status', secrets: ['IpmiPw_11'] },
  { source: 'ps', line: 'smbclient //nas/backup -U charger%SmbPw_12 -c "put charger.tgz"', secrets: ['SmbPw_12'], keep: ['-U charger%'] },
  { source: 'ps', line: 'docker login -u deploy -p DockerPw_13 registry.example.com', secrets: ['DockerPw_13'] },
  { source: 'journal', line: 'openssl enc -aes-256-cbc -pass pass:OpensslPw14 -in /etc/charger/keys.tar -out /tmp/k.enc', secrets: ['OpensslPw14'] },
  { source: 'ps', line: 'curl -fsS -u ocpp:CurlUserPw15 http://127.0.0.1:8180/steve/manager/home', secrets: ['CurlUserPw15'], keep: ['-u ocpp:'] },
  { source: 'crontab', line: '*/5 * * * * curl -s --user admin:CronCurlPw16 http://localhost:8080/api/health >/dev/null', secrets: ['CronCurlPw16'] },
  { source: 'manifest-error', line: 'mysqldump: Got error: 1045: Access denied for user (using password: YES) when trying to connect; command: mysqldump -u root -pManifestPw17', secrets: ['ManifestPw17'] },
  { source: 'nohup', line: 'nohup: ignoring input; running mysql -u root -pNohupPw18 < /opt/migrate.sql', secrets: ['NohupPw18'] },
  { source: 'ps', line: 'useradd -m -p $6$rounds=5000$saltsalt$HashedPwValue19 techuser', secrets: ['HashedPwValue19'] },
  { source: 'crontab', line: '0 4 * * * /usr/bin/mysqldump -u root -pChainPw1 charger sshpass -p ChainPw2 ssh -p 2222 relay', secrets: ['ChainPw1', 'ChainPw2'], keep: ['ssh -p 2222 relay'] },
  { source: 'journal', line: 'wifi-setup.sh[301]: + nmcli dev wifi connect Depot-5G password WifiNm_1 ifname wlan0', secrets: ['WifiNm_1'], keep: ['ifname wlan0'] },
  { source: 'ps', line: 'logger -t ocpp -- "[2,\\"1\\",\\"ChangeConfiguration\\",{\\"key\\":\\"AuthorizationKey\\",\\"value\\":\\"LoggerArg_1\\"}]"', secrets: ['LoggerArg_1'] },
  { source: 'ps', line: 'logger -t ocpp -- "Authorization: Digest username=\\"cp01\\", realm=\\"csms\\", response=\\"5ccc069c403ebaf9f0171e9517f40e41\\""', secrets: ['5ccc069c403ebaf9f0171e9517f40e41'] },
  { source: 'journal', line: 'deploy: aws configure: key AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYZZSECRET1', secrets: ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYZZSECRET1'] },
  { source: 'nohup', line: '+ aws configure set aws_secret_access_key AwsCliSecret_2 --profile charger', secrets: ['AwsCliSecret_2'], keep: ['--profile charger'] },
  { source: 'ps', line: 'nmcli con add type wifi ifname wlan0 con-name depot ssid Depot wifi-sec.key-mgmt wpa-psk wifi-sec.psk WifiNm_2', secrets: ['WifiNm_2'], keep: ['wifi-sec.key-mgmt wpa-psk wifi-sec.psk '] },
  { source: 'nohup', line: '+ wpa_passphrase Depot-5G WpaPassphrase_3 >> /etc/wpa_supplicant/wpa_supplicant.conf', secrets: ['WpaPassphrase_3'], keep: ['wpa_passphrase Depot-5G '] },
  // ---- --name value and --name=value
  { source: 'ps', line: '/opt/ocpp/bin/ocpp-client --url wss://csms.example.com/ocpp --password ArgPw_20 --id CP01', secrets: ['ArgPw_20'], keep: ['--id CP01'] },
  { source: 'ps', line: 'python3 /opt/charger/main.py --api-key=ArgKey_21 --port 8000', secrets: ['ArgKey_21'] },
  { source: 'unit', line: 'ExecStart=/usr/local/bin/ngrok http 8000 --authtoken 2YxZ9aBcDeFgHiJkLmNoPqRsTuV_3wXyZaBcD', secrets: ['2YxZ9aBcDeFgHiJkLmNoPqRsTuV_3wXyZaBcD'] },
  { source: 'ps', line: 'node /srv/api/index.js --client-secret "ClientSecret 22" --verbose', secrets: ['ClientSecret 22'] },
  { source: 'ps', line: 'wget --http-password=WgetPw_23 --http-user=ocpp http://10.0.0.4/fw.bin', secrets: ['WgetPw_23'] },
  { source: 'journal', line: 'charger-agent[900]: starting with args: --mqtt-pass MqttArg24 --mqtt-user cp01', secrets: ['MqttArg24'] },
  { source: 'ps', line: 'x11vnc -forever -passwd VncPw_25 -display :0', secrets: ['VncPw_25'] },
  { source: 'ps', line: 'java -Dspring.datasource.password=JavaPw_26 -Dserver.port=8080 -jar steve.jar', secrets: ['JavaPw_26'], keep: ['-Dserver.port=8080'] },
  { source: 'ps', line: 'curl --oauth2-bearer OauthBearer27xyz https://api.example.com/v1/sessions', secrets: ['OauthBearer27xyz'] },
  // ---- NAME=value anywhere
  { source: 'unit', line: 'Environment=OCPP_AUTH_KEY=UnitAuthKey28', secrets: ['UnitAuthKey28'], keep: ['OCPP_AUTH_KEY='] },
  { source: 'unit', line: 'Environment="DB_PASSWORD=Unit Pw 29" "LOG_LEVEL=info"', secrets: ['Unit Pw 29'], keep: ['LOG_LEVEL=info'] },
  { source: 'show', line: 'Environment=LANG=C.UTF-8 MQTT_PASS=ShowMqtt30 CSMS_URL=wss://csms.example.com/ocpp REDIS_AUTH=ShowRedis31', secrets: ['ShowMqtt30', 'ShowRedis31'], keep: ['CSMS_URL=wss://csms.example.com/ocpp'] },
  { source: 'env-file', line: 'POSTGRES_PASSWORD=EnvPg_32', secrets: ['EnvPg_32'] },
  { source: 'env-file', line: 'export SSHPASS=EnvSshpass33', secrets: ['EnvSshpass33'] },
  { source: 'env-file', line: 'STRIPE_SECRET_KEY="EnvStripe_34"', secrets: ['EnvStripe_34'] },
  { source: 'env-file', line: 'ocpp.basicAuthPassword=EnvDotted35', secrets: ['EnvDotted35'] },
  { source: 'env-file', line: 'OCPP_CP_PASSWD=EnvPasswd36', secrets: ['EnvPasswd36'] },
  { source: 'env-file', line: 'DB_PWD=EnvPwd37', secrets: ['EnvPwd37'] },
  { source: 'config', line: 'Driver=PostgreSQL;Server=10.0.0.3;Database=ocpp;Uid=ocpp;Pwd=OdbcPwd38;', secrets: ['OdbcPwd38'] },
  { source: 'ps', line: 'MYSQL_PWD=PsEnvPw39 mysql -u root charger', secrets: ['PsEnvPw39'] },
  { source: 'nginx-access', line: '10.0.0.7 - - [10/Dec/2025:01:10:02 +0300] "GET /api/v1/status?cp=CP01&access_token=QueryTok40&page=1 HTTP/1.1" 200 512 "-" "okhttp/4.9.3"', secrets: ['QueryTok40'], keep: ['&page=1'] },
  { source: 'nginx-access', line: '10.0.0.7 - - [10/Dec/2025:01:10:03 +0300] "POST /login?user=cp01&pass=QueryPass41 HTTP/1.1" 302 0 "-" "curl/7.88.1"', secrets: ['QueryPass41'] },
  { source: 'app-log', line: '2025-12-10 01:10:04,120 DEBUG connecting with apiKey=AppApiKey42 region=eu-central-1', secrets: ['AppApiKey42'], keep: ['region=eu-central-1'] },
  { source: 'unit', line: 'SetCredential=ocpp-auth-key:SetCred43value', secrets: ['SetCred43value'] },
  { source: 'app-log', line: 'INFO settings: AuthorizationKey=AppAuthKey44 HeartbeatInterval=300', secrets: ['AppAuthKey44'], keep: ['AuthorizationKey=', 'HeartbeatInterval=300'] },
  // ---- name: value anywhere in a line
  { source: 'journal', line: 'ocpp-client[812]: connecting as user: cp01 password: MidLinePw45', secrets: ['MidLinePw45'], keep: ['user: cp01 password: '] },
  { source: 'journal', line: 'postgres-init[77]: env POSTGRES_PASSWORD: MidPg46 POSTGRES_USER: ocpp', secrets: ['MidPg46'], keep: ['POSTGRES_USER: ocpp'] },
  { source: 'app-log', line: '2025-12-10T01:10:05Z WARN config dump {host: csms.example.com, token: MidTok47, retries: 3}', secrets: ['MidTok47'], keep: ['retries: 3'] },
  { source: 'app-log', line: 'INFO loaded API Key: MidApiKey48 for station CP01', secrets: ['MidApiKey48'], keep: ['for station CP01'] },
  { source: 'app-log', line: 'DEBUG Authorization Key: MidAuthKey49', secrets: ['MidAuthKey49'] },
  { source: 'app-log', line: "DEBUG connect(host='10.0.0.3', user='ocpp', password = 'PyKw50')", secrets: ['PyKw50'] },
  { source: 'journal', line: 'password: JournalStart51', secrets: ['JournalStart51'] },
  { source: 'journal', line: 'client_secret: JournalSecret52 scope: ocpp', secrets: ['JournalSecret52'] },
  { source: 'nohup', line: 'Using credentials -> username: cp01, pass: NohupPass53', secrets: ['NohupPass53'] },
  { source: 'app-log', line: '[2025-12-10 01:10:06] wifi: connecting to ssid: Depot-5G psk: WifiPsk54', secrets: ['WifiPsk54'], keep: ['ssid: Depot-5G'] },
  // ---- YAML and ini
  { source: 'compose', line: '      POSTGRES_PASSWORD: ComposePg55', secrets: ['ComposePg55'] },
  { source: 'compose', line: '      - MQTT_PASSWORD=ComposeList56', secrets: ['ComposeList56'] },
  { source: 'compose', line: '    command: ["redis-server", "--requirepass", "ComposeRedis57"]', secrets: ['ComposeRedis57'] },
  { source: 'compose', line: '    command: redis-server --requirepass ComposeRedis58', secrets: ['ComposeRedis58'] },
  { source: 'config', line: 'api_token: "YamlTok59"', secrets: ['YamlTok59'] },
  { source: 'config', line: 'aws_secret_access_key = IniSecret60abcdefghijklmnopqrstuvwxyz12', secrets: ['IniSecret60abcdefghijklmnopqrstuvwxyz12'] },
  { source: 'config', line: 'private_key: IniPrivate61', secrets: ['IniPrivate61'] },
  { source: 'config', line: '  access-key: YamlAccess62', secrets: ['YamlAccess62'] },
  { source: 'config', line: 'wpa_passphrase=WpaPass63', secrets: ['WpaPass63'] },
  { source: 'config', line: 'Password = IniSpaced64', secrets: ['IniSpaced64'] },
  // ---- JSON keys
  { source: 'app-log', line: '{"ts":"2025-12-10T01:10:07Z","level":"debug","cfg":{"password":"JsonPw65","port":8000}}', secrets: ['JsonPw65'], keep: ['"port":8000'] },
  { source: 'app-log', line: '{"apiKey": "JsonApiKey66", "retries": 3}', secrets: ['JsonApiKey66'] },
  { source: 'journal', line: 'charger[812]: settings {"auth_token":"JournalJsonTok67","interval":60}', secrets: ['JournalJsonTok67'] },
  { source: 'app-log', line: "config={'db_password': 'PyDict68', 'db_host': 'localhost'}", secrets: ['PyDict68'] },
  { source: 'app-log', line: '{"Credentials":{"AccessKeyId":"ASIAZ7VQ3EXAMPLE4ABC","SecretAccessKey":"JsonAwsSecret69","SessionToken":"JsonSession70"}}', secrets: ['ASIAZ7VQ3EXAMPLE4ABC', 'JsonAwsSecret69', 'JsonSession70'] },
  { source: 'config', line: '"privateKey": "JsonPrivate71",', secrets: ['JsonPrivate71'] },
  // ---- key/value pairs whose name and value are separate fields (OCPP)
  { source: 'ocpp', line: '2025-12-10 01:10:08 INFO ocpp: CP01: send [2,"a1b2","ChangeConfiguration",{"key":"AuthorizationKey","value":"OcppAuth72"}]', secrets: ['OcppAuth72'], keep: ['"key":"AuthorizationKey"'] },
  { source: 'ocpp', line: 'INFO:ocpp:CP01: receive message [3,"17",{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"},{"key":"AuthorizationKey","readonly":false,"value":"OcppGetConf73"}]}]', secrets: ['OcppGetConf73'], keep: ['"value":"300"'] },
  { source: 'ocpp', line: '[2,"9f","SetVariables",{"setVariableData":[{"attributeValue":"OcppSetVar74","component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}}]}]', secrets: ['OcppSetVar74'], keep: ['"name":"BasicAuthPassword"'] },
  { source: 'ocpp', line: '[2,"a0","SetVariables",{"setVariableData":[{"component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"},"attributeValue":"OcppSetVar75"}]}]', secrets: ['OcppSetVar75'] },
  { source: 'ocpp', line: '[3,"a1",{"getVariableResult":[{"attributeStatus":"Accepted","attributeValue":"OcppGetVar76","component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}}]}]', secrets: ['OcppGetVar76'] },
  { source: 'ocpp', line: '[2,"a2","NotifyReport",{"reportData":[{"component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"},"variableAttribute":[{"type":"Actual","value":"OcppReport77"}]}]}]', secrets: ['OcppReport77'] },
  { source: 'ocpp', line: "DEBUG ocpp.v16: call ChangeConfigurationPayload(key='AuthorizationKey', value='OcppRepr78')", secrets: ['OcppRepr78'] },
  { source: 'ocpp', line: "DEBUG {'key': 'AuthorizationKey', 'readonly': False, 'value': 'OcppDict79'}", secrets: ['OcppDict79'] },
  { source: 'app-log', line: 'form fields: [{"name":"username","value":"cp01"},{"name":"password","value":"FormPw80"}]', secrets: ['FormPw80'], keep: ['"value":"cp01"'] },
  { source: 'journal', line: 'ocpp-bridge[1200]: <- [2,"77","ChangeConfiguration",{"key":"AuthorizationKey","value":"JournalOcpp81"}]', secrets: ['JournalOcpp81'] },
  { source: 'ocpp', line: '[2,"b3","ChangeConfiguration",{"key":"AuthorizationKey","value":"0011223344556677889900AABBCCDDEEFF0011"}]', secrets: ['0011223344556677889900AABBCCDDEEFF0011'] },
  // ---- HTTP authorization in any quoting
  { source: 'nginx-access', line: '10.0.0.7 - - [10/Dec/2025:01:10:09 +0300] "GET /api/status HTTP/1.1" 401 0 "-" "curl/7.88.1" "Bearer NginxBearer82abc"', secrets: ['NginxBearer82abc'] },
  { source: 'nginx-access', line: `10.0.0.7 - - [10/Dec/2025:01:10:10 +0300] "GET /ocpp/CP01 HTTP/1.1" 101 0 "-" "ocpp-client/1.0" "Basic ${BASIC}"`, secrets: [BASIC] },
  { source: 'nginx-access', line: '10.0.0.7 - - [10/Dec/2025:01:10:11 +0300] "GET /admin HTTP/1.1" 200 10 "-" "Mozilla/5.0" "Digest username=\\x22admin\\x22, realm=\\x22charger\\x22, nonce=\\x22dcd98b7102dd2f0e\\x22, uri=\\x22/admin\\x22, response=\\x226629fae49393a05397450978507c4ef1\\x22"', secrets: ['6629fae49393a05397450978507c4ef1'], keep: ['username=\\x22admin\\x22'] },
  { source: 'app-log', line: 'DEBUG request headers: Authorization: Digest username="cp01", realm="csms", nonce="0a4f113b", uri="/ocpp", response="9b4a0f5fe29ea0f1c5cb1d29b8e55ab1", qop=auth', secrets: ['9b4a0f5fe29ea0f1c5cb1d29b8e55ab1'], keep: ['username="cp01"'] },
  { source: 'app-log', line: 'DEBUG > Authorization: Bearer AppBearer83xyz', secrets: ['AppBearer83xyz'] },
  { source: 'app-log', line: 'DEBUG headers={"Authorization": "Token AppTokenScheme84", "Accept": "application/json"}', secrets: ['AppTokenScheme84'], keep: ['"Accept": "application/json"'] },
  { source: 'app-log', line: "DEBUG headers={'authorization': 'ApiKey AppApiKeyScheme85'}", secrets: ['AppApiKeyScheme85'] },
  { source: 'journal', line: 'api[812]: upstream rejected request: Authorization: Basic ' + BASIC, secrets: [BASIC] },
  { source: 'journal', line: 'api[812]: forwarding with "Bearer JournalBearer86"', secrets: ['JournalBearer86'] },
  { source: 'crontab', line: '0 * * * * curl -s -H "Authorization: Bearer CronBearer87" https://api.example.com/v1/ping', secrets: ['CronBearer87'] },
  { source: 'app-log', line: "$client->request('GET', '/x', ['headers' => ['Authorization' => 'Bearer PhpBearer88']]);", secrets: ['PhpBearer88'] },
  { source: 'nginx-error', line: '2025/12/10 01:10:12 [info] 812#812: *44 client sent invalid header line: "Authorization: Bearer NginxErr89" while reading client request headers', secrets: ['NginxErr89'] },
  { source: 'app-log', line: 'proxy-authorization: Basic cHJveHk6UHJveHlQdzkw', secrets: ['cHJveHk6UHJveHlQdzkw'] },
  { source: 'app-log', line: 'X-Auth-Token: XHeaderTok91', secrets: ['XHeaderTok91'] },
  { source: 'app-log', line: `INFO ocpp: connected, session=${JWT} cp=CP01`, secrets: [JWT] },
  // ---- URL credentials
  { source: 'unit', line: 'Environment=CSMS_URL=wss://cp01:UrlPw92@csms.example.com/ocpp/CP01', secrets: ['UrlPw92'], keep: ['wss://cp01:'] },
  { source: 'ps', line: 'autossh -M 0 -N ssh://pi:AutosshPw93@relay.example.net', secrets: ['AutosshPw93'] },
  { source: 'app-log', line: 'connecting to mqtt://cp01:MqttUrl94@broker.local:1883', secrets: ['MqttUrl94'] },
  { source: 'env-file', line: 'DATABASE_URL=postgres://ocpp:PgUrl95@localhost:5432/ocpp', secrets: ['PgUrl95'] },
  { source: 'journal', line: 'git[99]: fatal: unable to access https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/acme/charger.git/', secrets: ['ghp_16C7e42F292c6912E7710c838347Ae178B4a'] },
  // ---- tokens of known formats
  { source: 'app-log', line: `aws: using ${AWS_ID} ${AWS_SECRET} for uploads`, secrets: [AWS_ID, AWS_SECRET] },
  { source: 'config', line: `${AWS_ID},${AWS_SECRET}`, secrets: [AWS_ID, AWS_SECRET] },
  { source: 'journal', line: `uploader[301]: s3 upload with key id ${AWS_ID} and secret ${AWS_SECRET} failed: 403`, secrets: [AWS_ID, AWS_SECRET] },
  { source: 'env-file', line: 'AWS_SECRET_ACCESS_KEY=EnvAwsSecret96', secrets: ['EnvAwsSecret96'] },
  { source: 'config', line: 'aws_secret_access_key=CfgAwsSecret97', secrets: ['CfgAwsSecret97'] },
  { source: 'app-log', line: 'slack: posting with xoxb-2048-4096-AbCdEfGhIjKlMnOpQrStUvWx failed', secrets: ['xoxb-2048-4096-AbCdEfGhIjKlMnOpQrStUvWx'] },
  { source: 'app-log', line: 'stripe: charge failed for sk_live_4eC39HqLyjWDarjtT1zdp7dc (card declined)', secrets: ['sk_live_4eC39HqLyjWDarjtT1zdp7dc'] },
  { source: 'journal', line: 'notifier[55]: GET https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage?chat_id=42', secrets: ['AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'] },
  { source: 'app-log', line: 'POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX 200', secrets: ['XXXXXXXXXXXXXXXXXXXXXXXX'] },
  { source: 'app-log', line: 'ci: cloning with glpat-AbCdEfGhIjKlMnOpQrSt12', secrets: ['glpat-AbCdEfGhIjKlMnOpQrSt12'] },
  { source: 'app-log', line: 'npm notice using npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', secrets: ['npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'] },
  { source: 'app-log', line: 'openai: request with sk-proj-AbCdEf1234567890GhIjKlMnOpQrStUv failed', secrets: ['sk-proj-AbCdEf1234567890GhIjKlMnOpQrStUv'] },
  { source: 'app-log', line: 'maps: key AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe rejected', secrets: ['AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe'] },
  { source: 'app-log', line: 'WARNING rejected request with Bearer 8f14e45fceea167a5a36dedd4bea2543', secrets: ['8f14e45fceea167a5a36dedd4bea2543'] },
  { source: 'ps', line: 'ngrok config add-authtoken 2ZaBcDeFgHiJkLmNoPqRsTuV_4AbCdEfGh', secrets: ['2ZaBcDeFgHiJkLmNoPqRsTuV_4AbCdEfGh'] },
  { source: 'app-log', line: 'curl -H "Cookie: sessionid=CookieVal98abc" http://127.0.0.1:8000/api', secrets: ['CookieVal98abc'] },
  // ---- private keys on one line
  { source: 'journal', line: 'deploy[4]: -----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\\nQyNTUxOQAAACDu3Y2wVZ5kP8mTz9iJ0n5r0XW6cS7p+2d0q1m8nQ6vJwAAAJjz7n0G8+59\\n-----END OPENSSH PRIVATE KEY-----', secrets: ['b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', 'QyNTUxOQAAACDu3Y2wVZ5kP8mTz9iJ0n5r0XW6cS7p'] },
  { source: 'env-file', line: 'TLS_KEY="-----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu -----END PRIVATE KEY-----"', secrets: ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj', 'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu'] },
  // ---- more syntaxes and sources
  { source: 'unit', line: 'ExecStart=/opt/ocpp/venv/bin/python -m ocpp_client --token=UnitTok99 --cp CP01', secrets: ['UnitTok99'] },
  { source: 'unit', line: "Environment='MQTT_PASSWORD=UnitSingle100'", secrets: ['UnitSingle100'] },
  { source: 'show', line: 'Environment=OCPP_BASIC_AUTH_PASSWORD=ShowBasic101 OCPP_CP_ID=CP01', secrets: ['ShowBasic101'], keep: ['OCPP_CP_ID=CP01'] },
  { source: 'show', line: 'ExecStart={ path=/usr/bin/sshpass ; argv[]=/usr/bin/sshpass -p ShowSshpass102 ssh -N relay ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }', secrets: ['ShowSshpass102'] },
  { source: 'crontab', line: '15 4 * * * TOKEN=CronTok103 /opt/charger/bin/sync', secrets: ['CronTok103'] },
  { source: 'crontab', line: '@reboot /usr/bin/redis-cli -a CronRedis104 FLUSHALL', secrets: ['CronRedis104'] },
  { source: 'nginx-error', line: '2025/12/10 01:10:13 [error] 812#812: *45 upstream timed out, client: 10.0.0.7, server: _, request: "GET /api?api_key=NginxErrKey105 HTTP/1.1", upstream: "http://127.0.0.1:8000/api?api_key=NginxErrKey105"', secrets: ['NginxErrKey105'] },
  { source: 'nohup', line: 'Traceback: ConnectionError: could not connect with password=NohupPw106', secrets: ['NohupPw106'] },
  { source: 'nohup', line: '  File "/opt/charger/main.py", line 12, in <module>: client = Client(api_secret="NohupSecret107")', secrets: ['NohupSecret107'] },
  { source: 'manifest-error', line: 'redis-cli: AUTH failed: WRONGPASS; command was redis-cli -a ManifestRedis108 ping', secrets: ['ManifestRedis108'] },
  { source: 'manifest-error', line: "curl: (22) The requested URL returned error: 401 for https://cp01:ManifestUrl109@csms.example.com/", secrets: ['ManifestUrl109'] },
  { source: 'journal', line: 'sudo[1400]: basar : TTY=pts/0 ; PWD=/home/basar ; USER=root ; COMMAND=/usr/bin/mysql -u root -pSudoLog110', secrets: ['SudoLog110'], keep: ['PWD=/home/basar'] },
  { source: 'journal', line: 'systemd[1]: Started /usr/bin/sshpass -p TransientPw111 ssh relay.', secrets: ['TransientPw111'] },
  { source: 'journal', line: 'charger[812]: MQTT connect: {"clientId":"CP01","username":"cp01","password":"JournalMqtt112"}', secrets: ['JournalMqtt112'] },
  { source: 'journal', line: 'charger[812]: loaded secret key: JournalSecretKey113', secrets: ['JournalSecretKey113'] },
  { source: 'app-log', line: 'I: wifi config ssid=Depot psk=AppPsk114 key_mgmt=WPA-PSK', secrets: ['AppPsk114'], keep: ['key_mgmt=WPA-PSK'] },
  { source: 'app-log', line: 'DEBUG vault: token hvs.CAESIVaultTok115abcdefghij issued; passphrase: AppPhrase116', secrets: ['AppPhrase116'] },
  { source: 'app-log', line: 'INFO ocpp: BootNotification accepted; auth-key: AppDashKey117', secrets: ['AppDashKey117'] },
  { source: 'config', line: 'credentials = "CfgCred118"', secrets: ['CfgCred118'] },
  { source: 'config', line: 'SECRET_KEY_BASE: CfgSkb119', secrets: ['CfgSkb119'] },
  { source: 'config', line: 'master.key=CfgMaster120', secrets: ['CfgMaster120'] },
  { source: 'config', line: '    <password>XmlPw121</password>', secrets: ['XmlPw121'], keep: ['</password>'] },
  { source: 'env-file', line: 'HUGGINGFACE_TOKEN=hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567', secrets: ['hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567'] },
  { source: 'env-file', line: 'OCPP_AuthorizationKey=EnvOcppAk122', secrets: ['EnvOcppAk122'] },
  { source: 'env-file', line: 'CLIENT-SECRET=EnvKebab123', secrets: ['EnvKebab123'] },
  { source: 'env-file', line: 'export GITHUB_TOKEN="ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"', secrets: ['ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'] },
  { source: 'compose', line: '      REDIS_PASSWORD: "ComposeRedisPw124"', secrets: ['ComposeRedisPw124'] },
  { source: 'compose', line: '    - "MYSQL_ROOT_PASSWORD=ComposeMysql125"', secrets: ['ComposeMysql125'] },
  { source: 'compose', line: '      test: mysqladmin ping -h localhost -u root -pComposeHc127', secrets: ['ComposeHc127'] },
  { source: 'ps', line: 'php artisan serve --app-key=base64:PsAppKey128abc=', secrets: ['PsAppKey128abc'] },
  { source: 'ps', line: '/usr/bin/python3 /opt/cp/agent.py -token PsSingleDash129', secrets: ['PsSingleDash129'] },
  { source: 'app-log', line: 'DEBUG keycloak: grant_type=client_credentials&client_id=cp01&client_secret=FormSecret130', secrets: ['FormSecret130'], keep: ['client_id=cp01'] },
  { source: 'app-log', line: 'DEBUG refresh_token=RefreshTok131; expires_in=3600', secrets: ['RefreshTok131'], keep: ['expires_in=3600'] },
  { source: 'ocpp', line: 'send [2,"c1","DataTransfer",{"vendorId":"acme","messageId":"SetCreds","data":"{\\"password\\":\\"OcppNested132\\"}"}]', secrets: ['OcppNested132'] },
  { source: 'ocpp', line: 'SecurityProfile=2 BasicAuthPassword=OcppFlat133 Identity=CP01', secrets: ['OcppFlat133'], keep: ['Identity=CP01'] },
  { source: 'app-log', line: 'mount -t cifs //nas/logs /mnt/logs -o username=cp01,password=CifsPw134', secrets: ['CifsPw134'] },
  { source: 'app-log', line: 'lftp -u backup,LftpPw135 sftp://10.0.0.2', secrets: ['LftpPw135'] },
  { source: 'journal', line: 'php-fpm[700]: PDOException: SQLSTATE[08006] password authentication failed for user "ocpp" (dsn pgsql:host=db;dbname=ocpp;user=ocpp;password=PdoPw136)', secrets: ['PdoPw136'], keep: ['user=ocpp;password='] },
];

// Lines that hold no secret and must come out byte for byte.
export const CLEAN: CleanCase[] = [
  { source: 'unit', line: 'ConditionCredential=|sysusers.extra' },
  { source: 'unit', line: 'ConditionCredential=|firstboot.locale' },
  { source: 'unit', line: 'LoadCredential=tls-key:/etc/charger/tls.key' },
  { source: 'unit', line: 'LoadCredentialEncrypted=db-pass:/etc/credstore.encrypted/db-pass' },
  { source: 'unit', line: 'ImportCredential=ocpp.*' },
  { source: 'config', line: 'PasswordAuthentication no' },
  { source: 'config', line: 'KbdInteractiveAuthentication no' },
  { source: 'config', line: 'AuthorizedKeysFile .ssh/authorized_keys .ssh/authorized_keys2' },
  { source: 'ps', line: '/usr/lib/chromium/chromium --password-store=basic --kiosk http://localhost:8000/' },
  { source: 'ps', line: 'app --password-file /etc/charger/db.pass --token-file=/run/secrets/ocpp' },
  { source: 'app-log', line: 'INFO limiter: token bucket refilled, 10 tokens available' },
  { source: 'unit', line: 'Restart=on-failure' },
  { source: 'unit', line: 'MemoryMax=512M' },
  { source: 'unit', line: 'KeyringMode=private' },
  { source: 'config', line: 'HandlePowerKey=poweroff' },
  { source: 'config', line: '#HandleRebootKeyLongPress=poweroff' },
  { source: 'config', line: '\t:<Key>i:\t\tSelect(invert) \\n\\' },
  { source: 'config', line: 'subjectKeyIdentifier=hash' },
  { source: 'config', line: 'authorityKeyIdentifier=keyid:always,issuer' },
  { source: 'config', line: 'signer_key\t= $dir/private/tsakey.pem # The TSA private key (optional)' },
  { source: 'config', line: 'key = $insta::newkey # insta.priv.pem' },
  { source: 'config', line: '#tls_key = /etc/ssl/sudo/private/logsrvd_key.pem' },
  { source: 'config', line: '#password_encryption = scram-sha-256\t# scram-sha-256 or md5' },
  { source: 'config', line: '        passwd=$(getent passwd "$user")' },
  { source: 'env-file', line: 'MQTT_KEY_FILE=/etc/charger/mqtt.key SSH_KEY=/home/pi/.ssh/id_ed25519' },
  { source: 'config', line: 'passwd:         files systemd' },
  { source: 'config', line: 'jdk.tls.keyLimits=AES/GCM/NoPadding KeyUpdate 2^37, \\' },
  { source: 'config', line: '# com.sun.management.jmxremote.ssl.need.client.auth=true|false' },
  { source: 'config', line: 'jdk.http.ntlm.transparentAuth=disabled' },
  { source: 'ps', line: 'ssh -p 22 -N -R 2222:localhost:22 pi@relay.example.net' },
  { source: 'ps', line: 'mkdir -p /var/lib/charger/spool' },
  { source: 'ps', line: 'nginx: master process /usr/sbin/nginx -p /etc/nginx -g daemon on; master_process on;' },
  { source: 'ps', line: 'mysql -u charger -p charger_db' },
  { source: 'ps', line: 'docker run -d -p 8080:80 -e TZ=Europe/Istanbul nginx:stable' },
  { source: 'ps', line: 'python3 -m http.server -p 9000' },
  { source: 'ps', line: 'iperf3 -s -p 5201' },
  { source: 'app-log', line: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  /opt/charger/firmware.bin' },
  { source: 'app-log', line: 'sha1: 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 AKIA-style ids are not in this line' },
  { source: 'journal', line: 'ocpp[812]: transaction 0b6f2a2e-8d5f-4c1a-9b7e-2f0c3d4e5a6b started on connector 1' },
  { source: 'journal', line: 'systemd-journald[201]: Journal started, boot id 7d1c3e2f9a8b4c5d6e7f8091a2b3c4d5' },
  { source: 'journal', line: ' -1 0e4b5c6d7e8f90a1b2c3d4e5f6a7b8c9 Tue 2025-12-09 08:00:01 +03—Tue 2025-12-09 23:59:58 +03' },
  { source: 'ps', line: '    PID    PPID USER                             STARTED                   ELAPSED   RSS %CPU CGROUP COMMAND' },
  { source: 'ps', line: '    812       1 ocpp     Wed Dec 10 00:58:04 2025  1016  6144  0.0 0::/system.slice/charger.service /opt/ocpp/venv/bin/python -m ocpp_client --cp CP01' },
  { source: 'journal', line: 'ocpp[812]: Authorization failed for idTag 04A2B3C4D5E680' },
  { source: 'journal', line: 'ocpp[812]: Authorize.req idTag=04A2B3C4D5E680 status=Accepted' },
  { source: 'journal', line: 'sshd[2211]: Failed password for invalid user admin from 10.0.0.9 port 40022 ssh2' },
  { source: 'journal', line: 'sshd[2211]: Accepted publickey for pi from 10.0.0.5 port 51234 ssh2: ED25519 SHA256:Vd5pRvZyMqKe0q+0bW1jT8i1tZLJ0xZ8w7mJz3m7f0Q' },
  { source: 'journal', line: 'sudo[1400]: pam_unix(sudo:auth): authentication failure; logname=basar uid=1000 euid=0 tty=/dev/pts/0 ruser=basar rhost=  user=basar' },
  { source: 'app-log', line: '2025-12-10 01:10:02,118 WARNING auth: token refresh failed, retrying in 5s' },
  { source: 'app-log', line: 'ERROR ocpp: token: expired' },
  { source: 'app-log', line: 'WARN api: password: incorrect for user cp01' },
  { source: 'app-log', line: 'Token validation failed: signature expired' },
  { source: 'app-log', line: 'WWW-Authenticate: Bearer realm="charger", error="invalid_token"' },
  { source: 'app-log', line: 'INFO basic auth enabled for /admin (Basic Authentication required)' },
  { source: 'app-log', line: 'token_type=bearer expires_in=3600' },
  { source: 'config', line: 'max_tokens=512' },
  { source: 'config', line: 'TOKEN_TTL=3600' },
  { source: 'config', line: 'ssl_certificate_key /etc/nginx/ssl/charger.key;' },
  { source: 'config', line: 'credential.helper=store' },
  { source: 'show', line: 'Environment=PYTHONUNBUFFERED=1 LANG=C.UTF-8 CSMS_URL=wss://csms.example.com/ocpp/CP01' },
  { source: 'show', line: 'EnvironmentFiles=/etc/default/charger (ignore_errors=yes)' },
  { source: 'show', line: 'PassEnvironment=OCPP_TOKEN MQTT_PASSWORD' },
  { source: 'unit', line: 'ExecStart=/usr/bin/autossh -M 0 -N -o ServerAliveInterval=30 -R 2222:localhost:22 pi@relay.example.net' },
  { source: 'ocpp', line: '[2,"a9","ChangeConfiguration",{"key":"HeartbeatInterval","value":"300"}]' },
  { source: 'ocpp', line: '[2,"b1","SetVariables",{"setVariableData":[{"attributeValue":"true","component":{"name":"AuthCtrlr"},"variable":{"name":"LocalPreAuthorize"}}]}]' },
  { source: 'ocpp', line: '[3,"17",{"configurationKey":[{"key":"AuthorizeRemoteTxRequests","readonly":false,"value":"true"},{"key":"LocalAuthListMaxLength","readonly":true,"value":"100"}]}]' },
  { source: 'ocpp', line: '[2,"c7","Authorize",{"idTag":"04A2B3C4D5E680"}]' },
  { source: 'ocpp', line: '[2,"d1","Authorize",{"idToken":{"idToken":"04A2B3C4D5E680","type":"ISO14443"}}]' },
  { source: 'ocpp', line: '[2,"d2","TransactionEvent",{"eventType":"Started","idToken":{"idToken":"04A2B3C4D5E680","type":"ISO14443"},"groupIdToken":{"idToken":"GRP1","type":"Central"}}]' },
  { source: 'nginx-access', line: '10.0.0.7 - - [10/Dec/2025:01:10:02 +0300] "GET /api/v1/status?cp=CP01&page=1 HTTP/1.1" 200 512 "-" "okhttp/4.9.3" "-"' },
  { source: 'nginx-error', line: '2025/12/10 01:10:05 [error] 812#812: *31 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.7, server: _, request: "GET /api/status HTTP/1.1", upstream: "http://127.0.0.1:8000/api/status", host: "charger-01"' },
  { source: 'crontab', line: '*/5 * * * * root curl -fsS http://127.0.0.1:8000/health || systemctl restart charger.service' },
  { source: 'crontab', line: '0 3 * * * /usr/local/bin/backup.sh --keep 7 >/var/log/backup.log 2>&1' },
  { source: 'env-file', line: 'PATH=/usr/local/bin:/usr/bin:/bin' },
  { source: 'env-file', line: 'PWD=/home/basar/charger' },
  { source: 'env-file', line: 'API_KEY=${API_KEY}' },
  { source: 'env-file', line: 'AUTH_ENABLED=true' },
  { source: 'compose', line: '      POSTGRES_PASSWORD_FILE: /run/secrets/pg_password' },
  { source: 'compose', line: '    secrets:' },
  { source: 'compose', line: '      - db_password' },
  { source: 'nohup', line: 'INFO:     127.0.0.1:51234 - "GET /health HTTP/1.1" 200 OK' },
  { source: 'manifest-error', line: 'mysqldump: [Warning] Using a password on the command line interface can be insecure.' },
  { source: 'manifest-error', line: 'journalctl: No journal files were found.' },
  { source: 'journal', line: 'kernel: Out of memory: Killed process 165162 (python) total-vm:912344kB, anon-rss:702112kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:1520kB oom_score_adj:0' },
  { source: 'journal', line: 'systemd[1]: Condition check resulted in First Boot Wizard being skipped (ConditionCredential=|firstboot.locale).' },
  { source: 'app-log', line: 'the bearer of this card is authorised' },
  { source: 'app-log', line: 'INFO keys: 3 loaded, 0 expired' },
  { source: 'app-log', line: 'DEBUG primary-key lookup took 3ms' },
  { source: 'journal', line: 'selftest[88]: PASS: relay contact check (12 ms)' },
  { source: 'journal', line: 'selftest[88]: RCD test: PASS' },
];

// Secrets spread over lines: as text lines of a log (one after the other) and as journal records (one per line).
const PEM_BODY = [
  'MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
  'LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo',
  'mHLGsmJf4A==',
];

export const MULTI: MultiLineCase[] = [
  {
    name: 'an RSA key printed one line at a time, then ordinary log lines',
    lines: ['INFO loading key', '-----BEGIN RSA PRIVATE KEY-----', ...PEM_BODY, '-----END RSA PRIVATE KEY-----', 'INFO connected to csms'],
    secrets: PEM_BODY,
    keep: ['INFO loading key', 'INFO connected to csms'],
  },
  {
    name: 'an encrypted PEM key with its headers',
    lines: ['-----BEGIN RSA PRIVATE KEY-----', 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,3F17F5316E2BAC89A1B2C3D4E5F60718', '', ...PEM_BODY, '-----END RSA PRIVATE KEY-----', 'done'],
    secrets: PEM_BODY,
    keep: ['done'],
  },
  {
    name: 'a key whose END never comes: the body ends with its shape, what follows stays',
    lines: ['-----BEGIN PRIVATE KEY-----', ...PEM_BODY.slice(0, 3), 'WARNING key file truncated', 'INFO retrying in 5 s', 'INFO connected'],
    secrets: PEM_BODY.slice(0, 3),
    keep: ['WARNING key file truncated', 'INFO retrying in 5 s', 'INFO connected'],
  },
  {
    name: 'a key logged line by line into a syslog file, each line with its prefix',
    lines: [
      'Dec 10 01:02:03 charger-01 deploy[412]: writing key',
      'Dec 10 01:02:03 charger-01 deploy[412]: -----BEGIN OPENSSH PRIVATE KEY-----',
      ...PEM_BODY.map((b) => `Dec 10 01:02:03 charger-01 deploy[412]: ${b}`),
      'Dec 10 01:02:03 charger-01 deploy[412]: -----END OPENSSH PRIVATE KEY-----',
      'Dec 10 01:02:04 charger-01 deploy[412]: done',
    ],
    secrets: PEM_BODY,
    keep: ['Dec 10 01:02:03 charger-01 deploy[412]: writing key', 'Dec 10 01:02:04 charger-01 deploy[412]: done'],
  },
  {
    name: 'a Kubernetes-style env list (name and value on two lines)',
    lines: ['        env:', '        - name: OCPP_BASIC_AUTH_PASSWORD', '          value: K8sPw137', '        - name: LOG_LEVEL', '          value: debug'],
    secrets: ['K8sPw137'],
    keep: ['        - name: OCPP_BASIC_AUTH_PASSWORD', '          value: debug'],
  },
];
