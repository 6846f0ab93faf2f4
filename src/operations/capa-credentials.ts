// Its own module: `arlonctl bootstrap --help` names it without loading the bootstrap itself.
/** The variable CAPA's infrastructure components need: the credentials `clusterawsadm bootstrap credentials encode-as-profile` prints. */
export const CAPA_CREDENTIALS_VARIABLE = 'AWS_B64ENCODED_CREDENTIALS';
