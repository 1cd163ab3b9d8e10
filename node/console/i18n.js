// Every label of the console, in Bahasa Indonesia (the default) and English.
// The choice is kept in localStorage and set as <html lang>.

const STORAGE_KEY = 'jejak.lang';

const TEXT = {
  id: {
    brand: 'Jejak',
    brandSub: 'Konsol node',
    navLabel: 'Navigasi utama',
    navOverview: 'Beranda',
    navVerify: 'Verifikasi',
    navOperations: 'Operasi',
    langLabel: 'Bahasa',
    logout: 'Keluar',
    signedInAs: 'Masuk sebagai',
    loading: 'Memuat…',
    loadFailed: 'Gagal memuat data',
    yes: 'Ya',
    no: 'Tidak',
    none: '—',

    loginTitle: 'Masuk',
    loginIntro: 'Masuk dengan akun konsol yang diberikan administrator node ini.',
    loginName: 'Nama pengguna',
    loginPassword: 'Kata sandi',
    loginSubmit: 'Masuk',
    loginWrong: 'Nama atau kata sandi salah.',
    loginThrottled: (s) => `Terlalu banyak percobaan gagal. Coba lagi dalam ${s} detik.`,
    loginFailed: 'Gagal masuk',
    sessionEnded: 'Sesi berakhir. Silakan masuk kembali.',

    overviewTitle: 'Ikhtisar node',
    nodeSection: 'Node ini',
    nodeName: 'Nama',
    nodeKind: 'Jenis',
    nodeRegion: 'Wilayah',
    nodeOrigin: 'Origin',
    nodeKeyId: 'ID kunci',
    nodeGovernance: 'Log tata kelola',
    nodeIsGovernance: 'node ini sendiri',
    alertsSection: 'Peringatan',
    noAlerts: 'Tidak ada peringatan.',
    alertKinds: {
      frozen: 'Log dibekukan',
      equivocation: 'Ekuivokasi',
      below_witness_policy: 'Di bawah kebijakan saksi',
      lagging: 'Tertinggal',
    },
    logsSection: 'Log yang disimpan',
    logsCaption: (n) => `${n} log`,
    logsUpdated: (time) => `Diperbarui ${time}, lalu tiap 10 detik.`,
    colOrigin: 'Origin',
    colInstitution: 'Lembaga',
    colHolding: 'Kepemilikan',
    colSize: 'Ukuran (entri)',
    colCosig: 'Kosignatur / diminta',
    colLag: 'Ketertinggalan',
    colCheckpoint: 'Checkpoint terakhir',
    colFrozen: 'Dibekukan',
    own: 'Milik sendiri',
    replica: 'Replika',
    lagEntries: (n) => `${n} entri`,
    frozenYes: 'Dibekukan',

    opsTitle: 'Operasi',
    opsActivity: 'Aktivitas sejak dimulai',
    opsAppends: 'Entri ditambahkan ke log sendiri',
    opsRequests: 'Permintaan HTTP dilayani',
    opsInternal: 'Galat internal',
    opsUptime: 'Waktu aktif',
    opsStarted: 'Dimulai',
    opsRejected: 'Masukan ditolak, menurut alasan',
    opsReason: 'Alasan',
    opsCount: 'Jumlah',
    opsNoRejected: 'Tidak ada masukan yang ditolak.',
    opsConnections: 'Koneksi',
    connPeer: 'Peer (node terdaftar)',
    connAnonymous: 'Anonim',
    connRefused: 'Ditolak (total)',
    opsStorage: 'Penyimpanan',
    opsStore: 'Ukuran store',
    opsDiskFree: 'Ruang disk kosong',
    opsLastError: 'Galat terakhir',
    opsNoError: 'Tidak ada galat.',
    opsLinks: 'Untuk pemantauan',
    opsMetrics: 'Metrik (Prometheus)',
    opsHealth: 'Pemeriksaan kesehatan',
    ofTotal: (free, total) => `${free} dari ${total}`,

    verifyTitle: 'Periksa bukti',
    verifyIntro:
      'Periksa sebuah berkas .tlog-proof di peramban ini: tanda tangan log, bukti inklusi, kosignatur saksi, dan isi entrinya. Kunci yang dipercaya berasal dari registri log tata kelola.',
    verifyDrop: 'Seret berkas .tlog-proof ke sini, atau pilih berkas',
    verifyFile: 'Berkas bukti (.tlog-proof)',
    verifyPaste: 'Atau tempel teks bukti',
    verifyMinWitnesses: 'Jumlah saksi minimal',
    verifySubmit: 'Periksa',
    verifyEmpty: 'Pilih berkas atau tempel teks bukti terlebih dahulu.',
    verifyRegistry: 'Kunci yang dipercaya',
    verifyAnchor: 'Jangkar tata kelola',
    verifyPinnedNow: 'Kunci jangkar disematkan di peramban ini pada penggunaan pertama.',
    verifyPinned: 'Sama dengan kunci yang disematkan di peramban ini.',
    verifyNoGovernance: 'Node ini tidak memiliki log tata kelola; hanya node terdaftar yang dipercaya.',
    verifyTrusted: (logs, wit) => `${logs} kunci log, ${wit} kunci saksi`,
    verifyAnchorMismatch:
      'Registri DITOLAK: kunci jangkar tata kelola yang dikirim node ini berbeda dengan kunci yang disematkan di peramban ini. Jangan percaya bukti yang diperiksa dengan registri ini. Jika pergantian kunci itu memang sah, hapus data situs ini di pengaturan peramban setelah memastikannya melalui jalur lain.',
    verifyPinnedKey: 'Kunci yang disematkan',
    verifyOfferedKey: 'Kunci yang dikirim',
    verdictOk: 'Bukti SAH',
    verdictBad: 'Bukti TIDAK SAH',
    verdictFailedPart: (p) => `Bagian yang gagal: ${p}`,
    verdictOkDetail: (i, o, s) => `Entri ${i} dari log ${o} (ukuran ${s}).`,
    stepsSection: 'Langkah pemeriksaan',
    stepOk: 'lolos',
    stepFailed: 'gagal',
    parts: {
      format: 'Format',
      'log-key': 'Kunci log',
      signature: 'Tanda tangan',
      inclusion: 'Inklusi',
      witness: 'Saksi',
      entry: 'Entri',
    },
    proofSection: 'Checkpoint',
    proofOrigin: 'Log (origin)',
    proofIndex: 'Indeks entri',
    proofSize: 'Ukuran log',
    proofRoot: 'Akar Merkle',
    proofLeaf: 'Hash daun',
    witnessesSection: 'Saksi',
    witnessName: 'Saksi',
    witnessTime: 'Waktu kosignatur',
    noWitnesses: 'Tidak ada kosignatur saksi yang dipercaya.',
    entrySection: 'Isi entri',
    verifyCrashed: 'Pemeriksaan gagal dijalankan',

    roles: {
      viewer: 'peninjau',
      auditor: 'auditor',
      operator: 'operator',
      approver: 'penyetuju',
      admin: 'admin',
    },
    kinds: {
      kemensos: 'Kemensos',
      provinsi: 'Dinsos provinsi',
      kabupaten: 'Dinsos kabupaten/kota',
      'lembaga-bayar': 'Lembaga bayar',
      auditor: 'Auditor',
    },
    notFound: 'Halaman tidak ditemukan.',
    // The names of the lines `jejak proof verify` prints for an entry
    // (entry.js); English keeps them as they are.
    entryFields: {
      action: 'tindakan', amount: 'nominal', 'approval threshold': 'ambang persetujuan',
      category: 'kategori', channel: 'kanal', commitment: 'komitmen', 'complaint id': 'ID pengaduan',
      'complaint response hours': 'batas tanggapan pengaduan (jam)', data: 'data',
      'document date': 'tanggal dokumen', 'document number': 'nomor dokumen', 'document year': 'tahun dokumen',
      'effective date': 'tanggal berlaku', entry: 'entri', 'evidence sha256': 'SHA-256 bukti dukung',
      facility: 'fasilitas', from: 'dari', 'governance size': 'ukuran log tata kelola', institution: 'lembaga',
      kabupaten: 'kabupaten', key: 'kunci', 'key name': 'nama kunci', kind: 'jenis', 'lembaga bayar': 'lembaga bayar',
      log: 'log', 'max components': 'komponen maksimal', members: 'anggota', month: 'bulan', name: 'nama',
      origin: 'origin', 'paid at': 'dibayar pada', pseudonym: 'pseudonim', 'received at': 'diterima pada',
      records: 'jumlah catatan', 'records root': 'akar catatan', region: 'wilayah', regions: 'daftar wilayah',
      'require bnba': 'wajib BNBA', 'responded at': 'ditanggapi pada', 'response id': 'ID tanggapan',
      result: 'hasil', role: 'peran', scope: 'cakupan', signer: 'penanda tangan', stage: 'tahap',
      status: 'status', 'suspend after months': 'tangguhkan setelah (bulan)', text: 'teks', time: 'waktu',
      to: 'sampai', 'txn ref': 'ref. transaksi', type: 'tipe', 'update id': 'ID pemutakhiran', url: 'URL',
      'verification id': 'ID verifikasi', 'verified on': 'diverifikasi pada', 'verifier key': 'kunci verifikasi',
      'witness key': 'kunci saksi', year: 'tahun',
    },
    entryKinds: { record: 'catatan', statement: 'pernyataan' },
  },

  en: {
    brand: 'Jejak',
    brandSub: 'Node console',
    navLabel: 'Main navigation',
    navOverview: 'Overview',
    navVerify: 'Verify',
    navOperations: 'Operations',
    langLabel: 'Language',
    logout: 'Sign out',
    signedInAs: 'Signed in as',
    loading: 'Loading…',
    loadFailed: 'Could not load the data',
    yes: 'Yes',
    no: 'No',
    none: '—',

    loginTitle: 'Sign in',
    loginIntro: 'Sign in with the console account this node’s administrator gave you.',
    loginName: 'User name',
    loginPassword: 'Password',
    loginSubmit: 'Sign in',
    loginWrong: 'Wrong name or password.',
    loginThrottled: (s) => `Too many failed attempts. Try again in ${s} seconds.`,
    loginFailed: 'Could not sign in',
    sessionEnded: 'The session ended. Please sign in again.',

    overviewTitle: 'Node overview',
    nodeSection: 'This node',
    nodeName: 'Name',
    nodeKind: 'Kind',
    nodeRegion: 'Region',
    nodeOrigin: 'Origin',
    nodeKeyId: 'Key ID',
    nodeGovernance: 'Governance log',
    nodeIsGovernance: 'this node itself',
    alertsSection: 'Alerts',
    noAlerts: 'No alerts.',
    alertKinds: {
      frozen: 'Log frozen',
      equivocation: 'Equivocation',
      below_witness_policy: 'Below witness policy',
      lagging: 'Lagging',
    },
    logsSection: 'Logs held',
    logsCaption: (n) => (n === '1' ? '1 log' : `${n} logs`),
    logsUpdated: (time) => `Updated ${time}, then every 10 seconds.`,
    colOrigin: 'Origin',
    colInstitution: 'Institution',
    colHolding: 'Held as',
    colSize: 'Size (entries)',
    colCosig: 'Cosignatures / wanted',
    colLag: 'Lag',
    colCheckpoint: 'Last checkpoint',
    colFrozen: 'Frozen',
    own: 'Own',
    replica: 'Replica',
    lagEntries: (n) => `${n} entries`,
    frozenYes: 'Frozen',

    opsTitle: 'Operations',
    opsActivity: 'Activity since start',
    opsAppends: 'Entries appended to the own log',
    opsRequests: 'HTTP requests served',
    opsInternal: 'Internal errors',
    opsUptime: 'Uptime',
    opsStarted: 'Started',
    opsRejected: 'Rejected inputs, by reason',
    opsReason: 'Reason',
    opsCount: 'Count',
    opsNoRejected: 'No input was rejected.',
    opsConnections: 'Connections',
    connPeer: 'Peers (registered nodes)',
    connAnonymous: 'Anonymous',
    connRefused: 'Refused (total)',
    opsStorage: 'Storage',
    opsStore: 'Store size',
    opsDiskFree: 'Free disk space',
    opsLastError: 'Last error',
    opsNoError: 'No error.',
    opsLinks: 'For monitoring',
    opsMetrics: 'Metrics (Prometheus)',
    opsHealth: 'Health check',
    ofTotal: (free, total) => `${free} of ${total}`,

    verifyTitle: 'Check a proof',
    verifyIntro:
      'Check a .tlog-proof file in this browser: the log’s signature, the inclusion proof, the witnesses’ cosignatures and what the entry says. The trusted keys come from the governance log’s registry.',
    verifyDrop: 'Drop a .tlog-proof file here, or choose a file',
    verifyFile: 'Proof file (.tlog-proof)',
    verifyPaste: 'Or paste the proof’s text',
    verifyMinWitnesses: 'Minimum number of witnesses',
    verifySubmit: 'Check',
    verifyEmpty: 'Choose a file or paste a proof’s text first.',
    verifyRegistry: 'Trusted keys',
    verifyAnchor: 'Governance anchor',
    verifyPinnedNow: 'The anchor key was pinned in this browser on first use.',
    verifyPinned: 'Equal to the key pinned in this browser.',
    verifyNoGovernance: 'This node has no governance log; only registered nodes are trusted.',
    verifyTrusted: (logs, wit) => `${logs} log keys, ${wit} witness keys`,
    verifyAnchorMismatch:
      'Registry REFUSED: the governance anchor key this node sent differs from the key pinned in this browser. Do not trust proofs checked with this registry. If the key change is legitimate, confirm it through another channel, then clear this site’s data in the browser settings.',
    verifyPinnedKey: 'Pinned key',
    verifyOfferedKey: 'Key sent',
    verdictOk: 'Proof VALID',
    verdictBad: 'Proof NOT VALID',
    verdictFailedPart: (p) => `Failed part: ${p}`,
    verdictOkDetail: (i, o, s) => `Entry ${i} of log ${o} (size ${s}).`,
    stepsSection: 'Checks',
    stepOk: 'passed',
    stepFailed: 'failed',
    parts: {
      format: 'Format',
      'log-key': 'Log key',
      signature: 'Signature',
      inclusion: 'Inclusion',
      witness: 'Witnesses',
      entry: 'Entry',
    },
    proofSection: 'Checkpoint',
    proofOrigin: 'Log (origin)',
    proofIndex: 'Entry index',
    proofSize: 'Log size',
    proofRoot: 'Merkle root',
    proofLeaf: 'Leaf hash',
    witnessesSection: 'Witnesses',
    witnessName: 'Witness',
    witnessTime: 'Cosignature time',
    noWitnesses: 'No cosignature by a trusted witness.',
    entrySection: 'What the entry says',
    verifyCrashed: 'The check could not run',

    roles: {
      viewer: 'viewer',
      auditor: 'auditor',
      operator: 'operator',
      approver: 'approver',
      admin: 'admin',
    },
    kinds: {
      kemensos: 'Ministry of Social Affairs',
      provinsi: 'Provincial social office',
      kabupaten: 'District social office',
      'lembaga-bayar': 'Payment institution',
      auditor: 'Auditor',
    },
    notFound: 'Page not found.',
  },
};

function stored() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'en' || v === 'id' ? v : 'id';
  } catch {
    return 'id';
  }
}

let current = stored();
document.documentElement.lang = current;

export function lang() {
  return current;
}

export function setLang(l) {
  current = l === 'en' ? 'en' : 'id';
  document.documentElement.lang = current;
  try {
    localStorage.setItem(STORAGE_KEY, current);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

// t('key') or t('key', args...) for the labels that are functions.
export function t(key, ...args) {
  const v = TEXT[current][key] ?? TEXT.id[key];
  return typeof v === 'function' ? v(...args) : v;
}

// A label from one of the maps (kinds, roles, parts, alertKinds), or the raw
// value when it has no label.
export function label(map, value) {
  return TEXT[current][map]?.[value] ?? value;
}
