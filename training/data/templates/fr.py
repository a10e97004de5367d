"""Modèles français (rédigés directement en français)."""

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
    "chat_open": ["Tu peux m'aider ?", "Corrige ceci :", "Résume le texte suivant :", "Traduis en anglais :",
                  "Je suis bloqué :", "Qu'est-ce qui ne va pas ?", "bonjour"],
    "chat_ask": ["Que dois-je faire ?", "Une idée ?", "Fais plus court.", "Merci !", "Tu peux corriger ?"],
    "greeting": ["Bonjour {FIRST},", "Madame {LAST},", "Monsieur {LAST},", "Salut {FIRST},", "Bonjour à tous,"],
    "signoff": ["Cordialement,", "Bien à vous,", "Merci,", "Bonne journée,", "Bises,"],
    "subject": ["RE: question", "Urgent", "TR: contrat", "Chiffres T{q}", "Compte rendu {date}"],
    "title": ["Bug : la connexion expire", "Échec du build après mise à jour {version}", "Plantage au démarrage"],
    "form": ["Nom", "Prénom", "Courriel", "Téléphone", "Adresse", "Date de naissance", "N° sécurité sociale",
             "IBAN", "Message"],
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
