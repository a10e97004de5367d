"""Modèles français (rédigés directement en français)."""
# Natural-language template data: one sentence per line reads better than split strings.
# ruff: noqa: E501

__all__ = ["FRAME", "PROSE"]

PROSE: dict[str, list[str]] = {
    "contact": [
        "Merci de mettre à jour l'adresse de {PERSON} : {ADDRESS}.",
        "Mme {LAST} a appelé depuis le {PHONE}, elle souhaite être rappelée{ avant midi|}.",
        "Vous pouvez joindre M. {LAST} au {PHONE} ou par mail à {EMAIL}.",
        "{PERSON} a déménagé au {ADDRESS}.",
        "Rédige une réponse {polie|courte} à {PERSON} ({EMAIL}) concernant le remboursement.",
        "Le candidat {PERSON} habite {ADDRESS} et peut commencer le {date}.",
        "Envoie le contrat à {EMAIL}, l'interlocutrice est {PERSON}.",
        "Salut {FIRST}, mon nouveau numéro c'est le {PHONE}.",
        "Le patient {PERSON}, né le {date}, n'est pas venu à son rendez-vous.",
    ],
    "hr": [
        "{PERSON} aura un salaire annuel de {MONEY} à partir du {date}.",
        "L'augmentation de {PERSON} est de {PCT}, la prime de {MONEY}.",
        "Rupture conventionnelle de {PERSON} : indemnité de {MONEY}.",
        "{FIRST} est en arrêt maladie jusqu'au {date}, merci de rester discret.",
        "Le budget recrutement pour l'an prochain est de {MONEY}.",
        "Propose une lettre d'embauche pour {PERSON} à {MONEY} brut annuel.",
    ],
    "ids": [
        "Mon numéro de sécurité sociale est le {NIR}.",
        "NIR de {PERSON} : {NIR}",
        "Numéro de passeport {PASSPORT}, valable jusqu'au {date}.",
        "Peux-tu vérifier le numéro de sécu {NIR} ? La mutuelle le refuse.",
        "Pour la DPAE : {PERSON}, n° SS {NIR}.",
    ],
    "payment": [
        "Merci de virer la caution sur l'IBAN {IBAN}.",
        "Mon RIB : {IBAN}{ (titulaire {PERSON})|}.",
        "La carte {CARD} a été refusée, expiration {n}/{n}.",
        "Le fournisseur a changé d'IBAN : {IBAN}. C'est normal ?",
        "Payez avec la carte {CARD}, cryptogramme au dos.",
        "Le prélèvement sur le compte {ACCOUNT} a été rejeté.",
    ],
    "secret": [
        "Le mot de passe du serveur de {prod|test} est {PASSWORD}.",
        "Voici ma clé API : {TOKEN}, mais j'ai toujours une erreur 401.",
        "La chaîne de connexion est {DB_URI}.",
        "Nouveau jeton pour la CI : {TOKEN}",
        "Identifiants : {admin|root|deploy} / {PASSWORD}",
        "J'ai régénéré la clé, la nouvelle est {SECRET}.",
        "Pourquoi ça plante ? J'ai mis AWS_ACCESS_KEY_ID={AWSKEY}.",
    ],
    "infra": [
        "Le serveur de build {HOST} est {encore tombé|saturé|injoignable}.",
        "Impossible d'accéder à {URL} depuis le VPN.",
        "La base a été migrée sur {HOSTPORT}, pensez à mettre à jour vos configs.",
        "La connexion SSH vers {IP} échoue.",
        "Le sous-réseau {CIDR} est réservé au labo.",
        "La doc est sur le wiki : {URL}",
        "Depuis le déploiement, {HOST} renvoie des 502.",
    ],
    "project": [
        "Le prototype {CODENAME} atteint {PCT} de rendement en laboratoire.",
        "{CODENAME} est repoussé au T{q}, le fournisseur n'a pas passé la qualification.",
        "Le budget de {CODENAME} est de {MONEY}.",
        "Ne mentionnez pas {CODENAME} dans la présentation publique.",
        "Résume le point d'avancement de {CODENAME} pour le comité de direction.",
        "Le lancement de {CODENAME} est prévu le {date}, strictement confidentiel.",
    ],
    "deal": [
        "{CUSTOMER} menace de résilier si on ne baisse pas le prix de {PCT}.",
        "Le contrat avec {CUSTOMER} représente {MONEY} sur trois ans.",
        "{CUSTOMER} signale des pannes toutes les nuits et réclame des avoirs.",
        "Prévision de CA pour le T{q} : {MONEY}, marge {PCT}, non publié.",
        "Écris un mail à {CUSTOMER} au sujet de la remise de {PCT}.",
        "Notre marge sur le contrat {CUSTOMER} n'est que de {PCT}.",
        "L'offre de rachat s'élève à {MONEY}.",
    ],
    "neg_tech": [
        "Mets ta clé dans le fichier .env, par ex. API_KEY={placeholder}.",
        "L'identifiant de la requête était {uuid}, commit {sha}.",
        "Passe en {version}, voir {public_url}.",
        "Remplace {placeholder} par ton propre jeton.",
        "Le mot de passe par défaut {placeholder} doit être changé.",
        "Empreinte SHA-256 : {sha256}",
        "La documentation est ici : {public_url}",
    ],
    "neg_news": [
        "{public_figure} a annoncé le {date} de nouvelles mesures.",
        "{public_company} a publié un chiffre d'affaires de {public_money} pour le trimestre.",
        "Selon le communiqué, {public_company} investit {public_money} à {city}.",
        "L'action {public_company} a reculé de {n} % après les résultats.",
        "Le nouveau modèle est affiché à {public_money} sur le site officiel.",
    ],
    "neg_word": [
        "On a vu un {bird} au bord de l'étang ce matin.",
        "Le {animal} du zoo dormait tout l'après-midi.",
        "On va planter un {tree} au fond du jardin.",
        "{Sky} est bien visible ce soir.",
        "Ce collier en {mineral} vient d'un marché à {city}.",
        "Les enfants ont dessiné un {animal}.",
    ],
    "neg_misc": [
        "La commande {order} a été expédiée le {date}.",
        "Le ticket {ticket} est résolu.",
        "La réunion est décalée à {time}.",
        "Merci pour ta réponse rapide !",
        "Peux-tu reformuler ce paragraphe de façon plus professionnelle ?",
    ],
}

FRAME: dict[str, list[str]] = {
    "post_open": [
        "Quelqu'un d'autre a ce problème ?",
        "Petite question :",
        "Besoin d'aide.",
        "[Aide] comportement bizarre",
    ],
    "post_close": ["Edit : résolu, merci !", "Merci d'avance pour vos retours.", "Des avis ?", "#devops"],
    "chat_open": [
        "Tu peux m'aider ?",
        "Corrige ceci :",
        "Résume le texte suivant :",
        "Traduis en anglais :",
        "Je suis bloqué :",
        "Qu'est-ce qui ne va pas ?",
        "bonjour",
    ],
    "chat_ask": ["Que dois-je faire ?", "Une idée ?", "Fais plus court.", "Merci !", "Tu peux corriger ?"],
    "greeting": [
        "Bonjour {FIRST},",
        "Madame {LAST},",
        "Monsieur {LAST},",
        "Salut {FIRST},",
        "Bonjour à tous,",
    ],
    "signoff": ["Cordialement,", "Bien à vous,", "Merci,", "Bonne journée,", "Bises,"],
    "subject": ["RE: question", "Urgent", "TR: contrat", "Chiffres T{q}", "Compte rendu {date}"],
    "title": [
        "Bug : la connexion expire",
        "Échec du build après mise à jour {version}",
        "Plantage au démarrage",
    ],
    "form": [
        "Nom",
        "Prénom",
        "Courriel",
        "Téléphone",
        "Adresse",
        "Date de naissance",
        "N° sécurité sociale",
        "IBAN",
        "Message",
    ],
}

_MORE: dict[str, list[str]] = {
    "contact": [
        "Reformule plus poliment : « {FIRST}, on n'a toujours pas reçu le formulaire signé, appelle-moi au {PHONE} »",
        "Merci d'envoyer le colis à {PERSON}, {ADDRESS}.",
        "Notre client {PERSON} ({EMAIL}) visitera l'usine le {date}.",
        "Tu as le numéro de {FIRST} ? J'ai seulement le {PHONE} et ça ne répond pas.",
        "Nouvelle locataire : {PERSON}, emménage au {ADDRESS}.",
        "Ajoute {EMAIL} à la liste de diffusion, stp.",
        "J'ai reçu une réclamation de {EMAIL}, comment répondre ?",
        "Personne à prévenir : {PERSON}, {PHONE}",
    ],
    "hr": [
        "Vérifie mon calcul : {PERSON} gagne {SALARY} et obtient {PCT} d'augmentation.",
        "Prépare une promesse d'embauche : {PERSON}, fixe {SALARY}, début le {date}.",
        "{PERSON} est en congé maternité depuis le {date}.",
        "Rédige un refus pour {PERSON} <{EMAIL}> pour le poste de stagiaire.",
        "La fourchette pour un ingénieur senior : {SALARY} à {SALARY}.",
    ],
    "ids": [
        "Aide-moi à remplir le formulaire : {PERSON}, n° de sécu {NIR}, adresse {ADDRESS}",
        "Est-ce que {NIR} est un numéro de sécurité sociale valide ?",
        "Pour le dossier de prêt : {PERSON}, NIR {NIR}, téléphone {PHONE}",
    ],
    "payment": [
        "Rembourse la commande {order} sur la carte {CARD}.",
        "Pourquoi la carte {CARD} est refusée ? Le client dit qu'elle est valide.",
        "Nouveau RIB pour la paie : {IBAN}",
        "Merci de virer {public_money} sur {IBAN}, référence {order}.",
        "J'ai payé avec {CARD} et j'ai été débité deux fois.",
    ],
    "secret": [
        "Voici mon .env, pourquoi l'appli plante ?\nDATABASE_URL={DB_URI}\nSECRET_KEY={SECRET}",
        "J'ai poussé {TOKEN} par erreur sur un dépôt public, comment le révoquer ?",
        "Le mot de passe Jenkins est {PASSWORD} si tu dois te connecter.",
        "Essaie avec cette clé : {TOKEN}",
        "Mot de passe wifi invités : {PASSWORD}",
        "Tu peux décoder ce JWT ? {JWT}",
    ],
    "infra": [
        "Pourquoi mon PC ne résout pas {HOST} ?",
        "Kibana sur {URL} n'affiche plus rien depuis le {date}.",
        "Écris une config nginx qui redirige /api vers {HOSTPORT}.",
        "Ouvre {CIDR} dans le groupe de sécurité, stp.",
        "Quelqu'un peut redémarrer {HOST} ? Il swappe depuis ce matin.",
    ],
    "project": [
        "Écris un post LinkedIn qui tease {CODENAME} sans le nommer.",
        "{CODENAME} consomme {MONEY} par mois, on tient jusqu'au T{q}.",
        "La démo {CODENAME} devant le conseil s'est mal passée, la batterie a chauffé.",
        "Risques {CODENAME} : retard fournisseur, dépassement de {PCT}.",
        "Traduis en anglais : le prototype {CODENAME} a passé les tests CEM.",
    ],
    "deal": [
        "Écris une relance à {CUSTOMER} : {PCT} de remise pour un engagement de 3 ans.",
        "{CUSTOMER} veut {n} licences pour {MONEY} au total, c'est sous notre prix plancher ?",
        "Résume l'escalade {CUSTOMER} : {n} pannes ce mois-ci, ils réclament {MONEY} d'avoirs.",
        "{CUSTOMER} représente {PCT} de notre CA et n'est pas content.",
        "Prévision interne : {MONEY} de chiffre d'affaires l'an prochain, ne pas diffuser.",
    ],
    "neg_tech": [
        "Redémarre {shorthost} et {shorthost}, puis vérifie la file.",
        "Le commit {sha} a cassé le build, reviens à {sha}.",
        "L'UUID {uuid} est introuvable dans la table users.",
        "Python {version} plante à l'import, une idée ?",
        "Le matricule {empid} a besoin d'un nouveau badge.",
    ],
    "neg_news": [
        "Résume cet article : {public_figure} a visité {city} et salué la nouvelle usine de {public_company}.",
        "{public_company} annonce un chiffre d'affaires annuel de {public_money}.",
        "L'abonnement coûte {price}, ça vaut le coup ?",
        "{public_company} va supprimer {num} postes selon l'AFP.",
    ],
    "neg_word": [
        "Que mange un {animal} ? Ma fille veut savoir.",
        "Des conseils pour photographier un {bird} en vol ?",
        "L'hôtel s'appelait « Le {Bird} », super petit-déjeuner.",
    ],
    "neg_misc": [
        "Résume la réunion : ordre du jour validé, prochaines étapes claires.",
        "Peux-tu améliorer ma lettre de motivation ?",
        "Ma commande {order} n'est pas arrivée, que dois-je écrire au support ?",
    ],
}
for _theme, _tpls in _MORE.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_PUBLIC: dict[str, list[str]] = {
    "neg_news": [
        "{customer} a publié un chiffre d'affaires de {public_money} dans son rapport annuel, en hausse de {n} %.",
        "Communiqué : {customer} ouvre une usine à {city} avec {num} emplois.",
        "Selon Les Échos, {customer} nomme un nouveau directeur financier.",
        "{customer} a publié aujourd'hui son rapport RSE.",
        "J'ai vu que {customer} recrute à {city}, quelqu'un connaît ?",
    ],
}
for _theme, _tpls in _PUBLIC.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_MORE2: dict[str, list[str]] = {
    "contact": [
        "Bonjour, je suis {PERSON}, joignable au {PHONE} ou à {EMAIL}.",
        "Mme {LAST} souhaite recevoir la facture à l'adresse suivante : {ADDRESS}.",
        "Peux-tu écrire un mail à M. {LAST} ({EMAIL}) pour décaler le rendez-vous au {date} ?",
        "Le livreur n'a pas trouvé {PERSON} au {ADDRESS}, il rappellera au {PHONE}.",
        "Coordonnées du nouveau fournisseur : {PERSON}, {PHONE}, {EMAIL}",
        "{FIRST} m'a donné son perso : {EMAIL}, c'est plus simple que l'adresse pro.",
        "Dr {LAST} a transmis le dossier de {PERSON} (né le {date}).",
    ],
    "hr": [
        "Le salaire de {PERSON} passe à {SALARY} brut annuel au {date}.",
        "Calcule le net mensuel pour {SALARY} brut par an, c'est pour l'offre de {FIRST}.",
        "Entretien annuel de {PERSON} : objectifs non atteints, prime réduite à {SALARY}.",
        "Liste des départs du plan social : {PERSON}, {PERSON}. Annonce le {date}.",
        "{PERSON} demande une rupture conventionnelle, on propose {SALARY}.",
    ],
    "ids": [
        "Mon numéro de sécu c'est {NIR}, il est sur ma carte Vitale.",
        "Le NIR {NIR} est refusé par la CPAM, tu vois pourquoi ?",
        "Pièce d'identité : passeport {PASSPORT} au nom de {PERSON}.",
        "Pour l'embauche de {PERSON} il me faut le numéro de sécurité sociale : {NIR}.",
        "Voici le NIR de mon fils : {NIR}, pour la mutuelle.",
    ],
    "payment": [
        "Coordonnées bancaires pour le remboursement : {IBAN} (BIC {bic}).",
        "Le client a payé avec la carte {CARD}, mais la banque conteste.",
        "Merci de mettre à jour mon RIB : {IBAN}",
        "Numéro de carte {CARD}, date d'expiration {n}/{n}, c'est bien ça ?",
        "Prélever les loyers sur le compte {IBAN} au nom de {PERSON}.",
    ],
    "secret": [
        "Voici les accès à la base de recette : {DB_URI}",
        "Le token GitLab {TOKEN} ne marche plus depuis ce matin.",
        "mdp du compte admin : {PASSWORD} (à changer)",
        "Pourquoi mon script renvoie 403 avec la clé {TOKEN} ?",
        "La clé privée du serveur :\n{PEM}",
        "Le mot de passe du coffre partagé est {PASSWORD}, ne le mets pas dans Teams.",
    ],
    "infra": [
        "Le NAS {HOST} est plein, qui peut faire du ménage ?",
        "L'intranet {URL} est très lent depuis la migration.",
        "On a un conflit d'IP : {IP} est attribuée deux fois.",
        "Ajoute {HOSTPORT} dans la liste blanche du proxy.",
        "Le cluster de recette tourne sur {CIDR}.",
        "Impossible de pousser sur {HOST}, erreur de certificat.",
    ],
    "project": [
        "Rédige un communiqué interne sur l'avancement de {CODENAME}, diffusion restreinte.",
        "{CODENAME} : le fournisseur de cellules a {n} semaines de retard.",
        "On a besoin de {n} ingénieurs de plus sur {CODENAME} d'ici le T{q}.",
        "Ne parle pas de {CODENAME} au salon, c'est sous NDA.",
        "Le budget de {CODENAME} a été revu à {MONEY}.",
        "Qui pilote {CODENAME} depuis le départ de {FIRST} ?",
    ],
    "deal": [
        "{CUSTOMER} négocie {PCT} de remise sur le renouvellement, on accepte ?",
        "Le contrat {CUSTOMER} est signé : {MONEY} sur {n} ans, pas d'annonce avant le {date}.",
        "Incident chez {CUSTOMER} : {n} heures d'arrêt, ils demandent {MONEY} de pénalités.",
        "Marge brute sur le compte {CUSTOMER} : {PCT}, c'est trop bas.",
        "Objectif de CA T{q} : {MONEY}, dont {MONEY} avec {CUSTOMER}.",
        "Prépare une réponse à l'appel d'offres de {CUSTOMER}, notre prix plancher est {MONEY}.",
    ],
    "neg_tech": [
        "Le SIRET de la société est public, on le trouve sur {public_url}.",
        "Version {version} publiée, voir le changelog sur {public_url}.",
        "Remplace <password> par ton mot de passe avant de lancer le script.",
        "La requête {uuid} a expiré après {n} secondes.",
        "Le ticket {ticket} est lié au commit {sha}.",
        "Exemple de config : DB_PASSWORD={placeholder}",
    ],
    "neg_news": [
        "{public_figure} était l'invité de France Inter ce matin.",
        "Le prix du billet de train {city}-Paris passe à {price}.",
        "Résultats annuels publiés : {public_company} affiche une marge de {n} %.",
    ],
    "neg_word": [
        "Le {tree} du jardin a perdu toutes ses feuilles.",
        "J'ai acheté une bague en {mineral} au marché.",
        "Un {bird} a fait son nid sur le balcon.",
        "On a observé {sky} avec le télescope du club.",
    ],
    "neg_misc": [
        "Quelle est la différence entre « censé » et « sensé » ?",
        "Le colis {order} est en point relais depuis le {date}.",
        "Réunion d'équipe à {time}, salle {n}.",
    ],
}
for _theme, _tpls in _MORE2.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_CONTRAST: dict[str, list[str]] = {
    "infra": [
        "{public_url} s'affiche bien, mais {URL} ne répond pas depuis chez moi.",
        "La page de statut publique est {public_url}, le vrai tableau de bord est {URL}.",
    ],
    "project": [
        "J'ai vu un {bird} ce matin. Bref, la revue {CODENAME} est décalée au {date}.",
        "Notre site {public_url} ne doit pas mentionner {CODENAME} avant le lancement.",
    ],
}
for _theme, _tpls in _CONTRAST.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

_IDS: dict[str, list[str]] = {
    "ids": [
        "Numéro de permis de conduire : {DRIVER}",
        "Mon numéro fiscal est {TAXID}, il est sur l'avis d'imposition.",
        "Le loueur demande le numéro de permis de {PERSON} : {DRIVER}.",
    ],
}
for _theme, _tpls in _IDS.items():
    PROSE.setdefault(_theme, []).extend(_tpls)

PROSE["neg_misc"].extend(
    [
        "L'IMEI de mon téléphone est {imei}, il est bloqué.",
        "Le code-barres {ean} affiche le mauvais produit.",
        "Numéro de suivi {tracking}, rien ne bouge depuis une semaine.",
        "Référence du livre : ISBN {isbn}",
    ]
)

PROSE["payment"].extend(
    [
        "Ma carte {CARD} a été débitée deux fois pour la même commande.",
        "Le client a donné le numéro {CARD} par téléphone, je le saisis où ?",
        "Carte bancaire : {CARD}, expire fin {n}/{n}.",
        "Virement à faire sur {IBAN} avant vendredi, titulaire {PERSON}.",
    ]
)

# Logiciels publics, événements, la propre entreprise de l'expéditeur et valeurs d'exemple : des noms
# et identifiants qui ressemblent à des noms de code, des clients ou des secrets sans en être.
PROSE["neg_public"] = [
    "On migre de {software} vers {software}, des pièges à connaître pour la version {version} ?",
    "Tutoriel : déployer {software} derrière {software} avec TLS, étape par étape.",
    "Projet de stage : apprendre {software} puis écrire un petit outil avec {software}.",
    "Est-ce que {software} est encore maintenu ? La dernière version que je vois est {version}.",
    "Qui va à {event} cette année ? L'atelier {software} a l'air intéressant.",
    "Le webhook a renvoyé {objid}, comment vérifier la signature ?",
    "Le pod {pod} redémarre en boucle (OOMKilled) depuis la mise à jour de {software}.",
    "Dans l'exemple, le mot de passe est juste {pw_word}, remplace-le par le tien.",
    "Cordialement,\nL'équipe {customer}\n{public_url}",
    "Mentions légales : {customer}, RCS {city}. © {year} tous droits réservés.",
    "Service de presse de {customer} : merci d'utiliser le formulaire sur {public_url}.",
    "Pourquoi {software} stocke cette colonne en TEXT et pas en VARCHAR ?",
    "Compare {software}, {software} et {software} pour une petite équipe, sous forme de tableau.",
    "Le job {slugid} a échoué dans {software} avec le code {n}, le log est en pièce jointe.",
    "L'identifiant du fil est {slugid}, tu peux le mettre dans le ticket ?",
    "Elle a fait sa thèse à {institution} et maintient maintenant {software}.",
    "L'étude de {institution} compare {software} et {software}.",
]
